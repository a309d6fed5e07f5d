package server

import _ "embed"

// reloadJS is the live-reload script, served at /_folio/reload.js.
//
//go:embed client/reload.js
var reloadJS []byte
