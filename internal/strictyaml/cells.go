package strictyaml

// Suggest returns `; did you mean "x"?` for the candidate closest to name,
// when one is close enough to be a likely typo, and "" otherwise. It serves
// names that are not mapping keys, such as a dataset's column names or
// column types, with the same judgement Mapping uses for unknown keys.
func Suggest(name string, candidates []string) string {
	fields := make([]Field, len(candidates))
	for i, c := range candidates {
		fields[i].Name = c
	}
	return suggest(name, fields)
}
