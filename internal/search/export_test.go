package search

// For the tests of package search_test, which build whole sites.
var (
	QueryTerms = queryTerms
	StopWords  = stopWords
)
