// Package deploytest validates the files that publish folio sites: the
// GitHub workflows (.github/workflows/*.yml, with actionlint, run as the
// go tool dependency pinned in go.mod), the GitLab pipeline
// (.gitlab-ci.yml), and the Netlify and Cloudflare Pages configurations
// (netlify.toml, wrangler.toml), and checks that docs/deploy.md shows
// them as they are. So a typo fails CI here, not on a publisher's first
// push. It holds tests only.
package deploytest
