package markdown

import "testing"

func TestSlug(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Background", "background"},
		{"Qualité et coûts", "qualite-et-couts"},
		{"What the DeepSeek case shows — and doesn't", "what-the-deepseek-case-shows-and-doesnt"},
		{"What the DeepSeek case shows — and doesn’t", "what-the-deepseek-case-shows-and-doesnt"},
		{"Straße", "strasse"},
		{"STRASSE vs. Straẞe", "strasse-vs-strasse"},
		{"Æsir, Øresund, œuvre", "aesir-oresund-oeuvre"},
		{"Łódź and Đakovo", "lodz-and-dakovo"},
		{"Þingvellir", "thingvellir"},
		{"Cafe\u0301 (decomposed)", "cafe-decomposed"},
		{"ﬁnance ＡＢＣ", "finance-abc"},
		{"出口管制与芯片", "出口管制与芯片"},
		{"中国 AI 芯片", "中国-ai-芯片"},
		{"出口管制：芯片", "出口管制-芯片"},
		{"Данные и методы", "данные-и-методы"},
		{"हिन्दी सारांश", "हिन्दी-सारांश"},
		{"2024 in review", "2024-in-review"},
		{"Q3 2024: 42%", "q3-2024-42"},
		{"🚀 Launch 🚀", "launch"},
		{"🚀", "section"},
		{"!!! ??? ...", "section"},
		{"", "section"},
		{"   ", "section"},
		{"--Leading and trailing--", "leading-and-trailing"},
		{"(Parenthesised)", "parenthesised"},
		{"many    spaces\tand\ttabs", "many-spaces-and-tabs"},
		{"snake_case and kebab-case", "snake-case-and-kebab-case"},
		{"'quoted' words", "quoted-words"},
		{"fn:1", "fn-1"},
		{"a&b <c>", "a-b-c"},
		{"ŋ and ɛ", "ŋ-and-ɛ"},
	}
	for _, tt := range tests {
		if got := Slug(tt.in); got != tt.want {
			t.Errorf("Slug(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
