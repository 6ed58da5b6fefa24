// `ctxbench view --bundle DIR`: a static, self-contained copy of the viewer
// over some runs, which opens from disk (file://) or any static host.
//
// DIR gets index.html, assets/ and data/: one script per API reply the pages
// ask for (runs, run, grid, episode lists per cell, episodes, every step's
// X-ray) and the run's events in pages of 5,000, each setting
// window.CTXBENCH_DATA[<api url>] (scripts, not JSON files, because browsers
// refuse fetch() from file://). In a bundle, app.js answers Search from the
// event pages and Compare from the two episodes' X-rays, as the server would.
//
// Error channel: throws a runtime ctxbench::Error naming the file it could
// not write, or what HandleApi reported for a reply it could not build.
// Never writes inside the run folders.
#pragma once

#include <string>

#include "viewer/run_catalog.h"

namespace ctxbench {

// The data file name of an API url ("/api/runs/x/grid" ->
// "_2Fapi_2Fruns_2Fx_2Fgrid.js"): every byte but [A-Za-z0-9.-] as _XX.
// app.js computes the same name.
std::string BundleDataName(const std::string& url);

// Writes the bundle; returns the number of data files written.
size_t WriteBundle(const RunCatalog& catalog, const std::string& out_dir);

}  // namespace ctxbench
