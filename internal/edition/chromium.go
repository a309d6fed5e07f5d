package edition

import (
	"errors"
	"os"
	"os/exec"
	"runtime"
)

// EnvChromium is the environment variable that names the Chromium to use
// when no path is given.
const EnvChromium = "FOLIO_CHROMIUM"

// ErrNoChromium is the error of FindChromium when there is none: one line
// that says how to get one.
var ErrNoChromium = errors.New("-pdf and -images need Chromium or Chrome, and none was found: " +
	"install it (Debian and Ubuntu: apt-get install chromium; macOS: brew install --cask chromium) " +
	"or point folio at one with -chromium PATH or " + EnvChromium + "=PATH")

// FindChromium returns the path of the browser to start: path when it is
// given, else $FOLIO_CHROMIUM, else the first Chromium or Chrome found on
// PATH or at the usual places of the platform. A path that is given but is
// no program is an error of its own, so a typo is not mistaken for a
// missing browser.
func FindChromium(path string) (string, error) {
	if path == "" {
		path = os.Getenv(EnvChromium)
	}
	if path != "" {
		p, err := exec.LookPath(path)
		if err != nil {
			return "", errors.New("Chromium " + path + ": not found or not a program; install Chromium or point -chromium or " + EnvChromium + " at it")
		}
		return p, nil
	}
	for _, name := range candidates() {
		if p, err := exec.LookPath(name); err == nil {
			return p, nil
		}
	}
	return "", ErrNoChromium
}

// candidates lists where Chromium and Chrome usually are.
func candidates() []string {
	switch runtime.GOOS {
	case "darwin":
		return []string{
			"/Applications/Chromium.app/Contents/MacOS/Chromium",
			"/Applications/Google Chrome.app/Contents/MacOS/Google Chrome",
			"chromium", "google-chrome",
		}
	case "windows":
		return []string{
			"chrome", "chromium",
			`C:\Program Files\Google\Chrome\Application\chrome.exe`,
			`C:\Program Files (x86)\Google\Chrome\Application\chrome.exe`,
		}
	}
	return []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome",
		"/usr/bin/chromium", "/snap/bin/chromium"}
}
