"""The report answers the question on its first screen: the default run's
report.html in headless Chromium (Debian's `chromium`) at 1280x900 has its
first ranked table and its first success-vs-tokens figure above the fold.

No puppeteer needed: the test injects a small script into a copy of the page
that writes the elements' bounding boxes into a hidden element (no layout
change), and reads them from `chromium --dump-dom` at the same window size;
the same chromium start takes a PNG of the first screen too
(CTXBENCH_KEEP_PNG=path keeps it). Skips, saying so, only when no chromium
binary is installed."""

import json
import os
import re
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
         "--disable-features=WebUIOmniboxPopup,WebUIOmniboxAimPopup,WebUIOmniboxFullPopup",
         "--hide-scrollbars", "--window-size=1280,900"]
REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

PROBE = """<script>
(function(){
  function box(sel){var e=document.querySelector(sel);if(!e)return null;
    var r=e.getBoundingClientRect();return {top:r.top,bottom:r.bottom,left:r.left,right:r.right};}
  var out={viewport:[window.innerWidth,window.innerHeight],
           table:box('#answer table.ranked'),figure:box('#answer svg.chart'),
           page_width:document.documentElement.scrollWidth};
  var pre=document.createElement('pre');pre.id='layout-probe';pre.hidden=true;
  pre.textContent=JSON.stringify(out);document.body.appendChild(pre);
})();
</script>"""


@unittest.skipIf(CHROMIUM is None,
                 "chromium is not installed (scripts/install-deps.sh installs it): "
                 "SKIPPING the first-screen test")
class ReportScreenTest(harness.E2ETest):
    def chromium(self, *args):
        profile = tempfile.mkdtemp(prefix="ctxbench-chromium-", dir=self.workdir)
        return subprocess.run([CHROMIUM, *FLAGS, f"--user-data-dir={profile}", *args],
                              capture_output=True, text=True, timeout=180)

    def test_ranked_table_and_figure_are_above_the_fold(self):
        with open(os.path.join(REPO, "config.json")) as f:
            config = json.load(f)  # the default run, as scripts/quickstart.sh runs it
        config["out_dir"] = "runs"
        r = self.run_ok("run", "--config", "config.json", config=config)
        run_dir = r.run_dirs()[0]
        with open(os.path.join(run_dir, "report.html")) as f:
            page = f.read()
        probed = os.path.join(run_dir, "report-probe.html")
        with open(probed, "w") as f:
            f.write(page.replace("</body>", PROBE + "</body>"))

        # One chromium start: the DOM after the probe ran, and the first
        # screen (the probe's element is hidden: the page lays out as
        # report.html does).
        png = os.path.join(self.workdir, "first-screen.png")
        dom = self.chromium("--dump-dom", f"--screenshot={png}", "file://" + probed)
        self.assertEqual(dom.returncode, 0, dom.stderr)
        m = re.search(r'<pre id="layout-probe"[^>]*>(.*?)</pre>', dom.stdout, re.S)
        self.assertIsNotNone(m, "the probe did not run")
        layout = json.loads(m.group(1).replace("&quot;", '"'))
        # --dump-dom lays the page out 1280 wide like the screenshot (its
        # innerHeight is the window minus browser chrome); the fold is the
        # screenshot's 900 pixels.
        width, height = layout["viewport"][0], 900
        self.assertEqual(width, 1280, layout)
        for name in ("table", "figure"):
            box = layout[name]
            self.assertIsNotNone(box, f"no {name} in the answer section")
            self.assertGreater(box["bottom"], box["top"], (name, box))
            self.assertLessEqual(box["bottom"], height, f"the {name} ends below the fold: {box}")
            self.assertLessEqual(box["right"], width, f"the {name} is wider than the page: {box}")
        self.assertLessEqual(layout["page_width"], width, "the page scrolls sideways")
        # The ranked table fits beside the figure without scrolling in its box.
        self.assertLessEqual(layout["table"]["right"], layout["figure"]["left"], layout)

        with open(png, "rb") as f:
            data = f.read()
        self.assertEqual(data[:8], b"\x89PNG\r\n\x1a\n")
        keep = os.environ.get("CTXBENCH_KEEP_PNG")
        if keep:
            shutil.copy(png, keep)


if __name__ == "__main__":
    harness.main()
