"""report.html rendered in headless Chromium (Debian's `chromium`, installed by
scripts/install-deps.sh): the page loads without console errors or failed
loads, every chart section has one chart per panel, and a PNG is produced,
all from one chromium start (--dump-dom and --screenshot together).
Skips, saying so, only when no chromium binary is installed."""

import html.parser
import os
import shutil
import subprocess
import tempfile
import unittest

import harness

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         # No omnibox popups: headless chromium builds them (WebUI pages) for
         # its window, and they kept it busy for seconds.
         "--disable-features=WebUIOmniboxPopup,WebUIOmniboxAimPopup,WebUIOmniboxFullPopup"]


class ChartCounter(html.parser.HTMLParser):
    """Counts <svg> elements inside each <section class="chart-section">."""

    def __init__(self):
        super().__init__()
        self.sections = {}
        self._current = None
        self._depth = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "section":
            if "chart-section" in (attrs.get("class") or "").split():
                self._current = attrs.get("id")
                self.sections[self._current] = 0
                self._depth = 0
            elif self._current:
                self._depth += 1
        elif tag == "svg" and self._current:
            self.sections[self._current] += 1

    def handle_endtag(self, tag):
        if tag == "section" and self._current:
            if self._depth == 0:
                self._current = None
            else:
                self._depth -= 1


@unittest.skipIf(CHROMIUM is None,
                 "chromium is not installed (scripts/install-deps.sh installs it): "
                 "SKIPPING the headless render test")
class ReportRenderTest(harness.E2ETest):
    def chromium(self, *args):
        profile = tempfile.mkdtemp(prefix="ctxbench-chromium-", dir=self.workdir)
        return subprocess.run([CHROMIUM, *FLAGS, f"--user-data-dir={profile}", *args],
                              capture_output=True, text=True, timeout=120)

    def test_report_renders_with_one_chart_per_panel_in_each_section(self):
        r = self.run_ok("run", "--config", "config.json", config=harness.SMALL_CONFIG)
        run_dir = r.run_dirs()[0]
        url = "file://" + os.path.join(run_dir, "report.html")

        # One chromium start: the DOM after load (with the console's
        # messages on stderr) and a PNG of the page, 1200x3000.
        png = os.path.join(self.workdir, "report.png")
        dom = self.chromium("--enable-logging=stderr", "--v=0", "--dump-dom",
                            f"--screenshot={png}", "--window-size=1200,3000", url)
        self.assertEqual(dom.returncode, 0, dom.stderr)
        for line in dom.stderr.splitlines():
            self.assertNotIn("CONSOLE", line, f"console message while loading: {line}")
        counter = ChartCounter()
        counter.feed(dom.stdout)
        # SMALL_CONFIG: one task, one model, two modes -> two panels; the
        # success chart is per task x model -> one.
        self.assertEqual(counter.sections, {
            "success": 1, "best-by-iteration": 2, "best-by-tokens": 2, "context-size": 2,
            "efficiency": 2})
        self.assertIn("built-in sim experimenter", dom.stdout)

        with open(png, "rb") as f:
            data = f.read()
        self.assertEqual(data[:8], b"\x89PNG\r\n\x1a\n")
        self.assertGreater(len(data), 50_000)  # a page of charts, not a blank screen
        keep = os.environ.get("CTXBENCH_KEEP_PNG")
        if keep:
            shutil.copy(png, keep)


if __name__ == "__main__":
    harness.main()
