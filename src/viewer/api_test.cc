// The JSON API and the server over HTTP (a real httplib client on 127.0.0.1).
#include "viewer/api.h"

#include <gtest/gtest.h>
#include <httplib.h>

#include <set>
#include <thread>

#include "core/sqlite_db.h"
#include "report/stats.h"
#include "viewer/server.h"
#include "viewer/test_run.h"

namespace ctxbench {
namespace {

namespace fs = std::filesystem;

std::set<std::string> Listing(const fs::path& dir) {
  std::set<std::string> out;
  for (const auto& e : fs::recursive_directory_iterator(dir)) {
    out.insert(e.path().string() + ":" +
               std::to_string(e.is_regular_file() ? fs::file_size(e.path()) : 0) + ":" +
               std::to_string(fs::last_write_time(e.path()).time_since_epoch().count()));
  }
  return out;
}

class ViewerApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    viewer_test::WriteTestRun(dir_.Path("run"), 3);
    WriteFileAtomic(dir_.Path("secret.txt"), "outside the run folder");
    before_ = Listing(dir_.path());
    catalog_ = std::make_unique<LiveRunCatalog>(std::vector<std::string>{dir_.Path("run")});
    server_ = std::make_unique<ViewerServer>(*catalog_);
    port_ = server_->Bind("127.0.0.1", 0);
    thread_ = std::thread([this] { server_->Serve(); });
    client_ = std::make_unique<httplib::Client>("127.0.0.1", port_);
    client_->set_url_encode(false);  // send paths exactly as written
  }
  void TearDown() override {
    server_->Stop();
    thread_.join();
    EXPECT_EQ(Listing(dir_.path()), before_) << "the viewer wrote into the folder";
  }
  Json GetJson(const std::string& path, int expect_status = 200) {
    auto res = client_->Get(path);
    EXPECT_TRUE(res) << path;
    if (!res) return Json();
    EXPECT_EQ(res->status, expect_status) << path << ": " << res->body;
    EXPECT_EQ(res->get_header_value("Content-Type"), "application/json");
    return Json::parse(res->body);
  }
  int Status(const std::string& path, const httplib::Headers& headers = {}) {
    auto res = client_->Get(path, headers);
    return res ? res->status : -1;
  }

  store_test::ScratchDir dir_;
  std::set<std::string> before_;
  std::unique_ptr<LiveRunCatalog> catalog_;
  std::unique_ptr<ViewerServer> server_;
  int port_ = 0;
  std::thread thread_;
  std::unique_ptr<httplib::Client> client_;
};

TEST_F(ViewerApiTest, RunsListsTheRunWithItsCounts) {
  Json runs = GetJson("/api/runs")["runs"];
  ASSERT_EQ(runs.size(), 1u);
  EXPECT_EQ(runs[0]["id"], "run");
  EXPECT_EQ(runs[0]["status"], "complete");
  EXPECT_EQ(runs[0]["planned"], 6);
  EXPECT_EQ(runs[0]["episodes"]["complete"], 6);
  EXPECT_EQ(runs[0]["policies"], Json::array({"full", "window1"}));
}

TEST_F(ViewerApiTest, GridCellsCarryTheWilsonIntervalOfCompleteEpisodes) {
  Json cells = GetJson("/api/runs/run/grid")["cells"];
  ASSERT_EQ(cells.size(), 2u);
  Interval expected = WilsonInterval(1, 3);
  for (const Json& c : cells) {
    EXPECT_EQ(c["complete"], 3);
    EXPECT_EQ(c["successes"], 1);  // seed 1 succeeds
    EXPECT_DOUBLE_EQ(c["success_rate"].get<double>(), 1.0 / 3);
    EXPECT_DOUBLE_EQ(c["wilson_lo"].get<double>(), expected.lo);
    EXPECT_DOUBLE_EQ(c["wilson_hi"].get<double>(), expected.hi);
    EXPECT_EQ(c["errors"], 0);
  }
}

TEST_F(ViewerApiTest, EpisodeListFiltersSortsAndPages) {
  Json page = GetJson("/api/runs/run/episodes?policy=window1&sort=seed&dir=desc&limit=2");
  EXPECT_EQ(page["total"], 3);
  ASSERT_EQ(page["episodes"].size(), 2u);
  EXPECT_EQ(page["episodes"][0]["seed"], 3);
  EXPECT_EQ(page["episodes"][1]["seed"], 2);
  EXPECT_EQ(page["episodes"][0]["policy"], "window1");
  Json next = GetJson("/api/runs/run/episodes?policy=window1&sort=seed&dir=desc&limit=2&offset=2");
  ASSERT_EQ(next["episodes"].size(), 1u);
  EXPECT_EQ(next["episodes"][0]["seed"], 1);
  EXPECT_EQ(next["episodes"][0]["success"], true);
  GetJson("/api/runs/run/episodes?sort=seed;DROP", 400);
  GetJson("/api/runs/run/episodes?limit=5000", 400);
}

TEST_F(ViewerApiTest, EpisodeTimelineAndXrayOfAStep) {
  Json ep = GetJson("/api/runs/run/episodes/toy.full.sim.agentic.s1");
  EXPECT_EQ(ep["episode"]["policy"], "full");
  // The row's columns and the page's outcome are one record.
  EXPECT_EQ(ep["episode"]["best_valid_metric"], ep["outcome"]["best_valid_metric"]);
  EXPECT_EQ(ep["episode"]["success"], ep["outcome"]["success"]);
  EXPECT_EQ(ep["steps"].size(), 4u);
  EXPECT_EQ(ep["best_so_far"].front()["value"], 0.8);
  Json x = GetJson("/api/runs/run/episodes/toy.full.sim.agentic.s1/xray/2");
  EXPECT_EQ(x["step"], 2);
  EXPECT_EQ(x["section_sum"], x["total_tokens"]);
  GetJson("/api/runs/run/episodes/toy.full.sim.agentic.s1/xray/99", 404);
  GetJson("/api/runs/run/episodes/no.such.episode", 404);
  GetJson("/api/runs/nope/grid", 404);
  GetJson("/api/runs/run/episodes/toy.full.sim.agentic.s1/xray/x", 400);
}

// A corrupt run folder: each page answers with what is wrong and where (the
// app shows it as the page's error), never a JSON library's type error or a
// stack overflow on a value nested thousands deep; values of the wrong type
// in run.json or the config are left out.
TEST(ViewerCorruptRunTest, PagesNameTheCorruptRowOrFile) {
  store_test::ScratchDir dir;
  const std::string run = dir.Path("run");
  viewer_test::WriteTestRun(run, 1);
  {
    SqliteDb db(run + "/results.db");
    db.Exec("UPDATE episodes SET outcome_json = '" + std::string(5000, '[') +
            "' WHERE episode_id = 'toy.full.sim.agentic.s1'");
    db.Exec(
        "UPDATE episodes SET outcome_json = '[1]' WHERE episode_id = 'toy.window1.sim.agentic.s1'");
    db.Exec(R"(UPDATE runs SET config_json = '{"tasks":[1,{"name":2},"toy"],"models":"x"}')");
  }
  WriteFileAtomic(run + "/run.json", R"({"status_reason":7,"episodes_planned":"two"})");
  RunCatalog catalog({run});

  ApiReply deep = HandleApi(catalog, "/api/runs/run/episodes/toy.full.sim.agentic.s1", {});
  EXPECT_EQ(deep.status, 500);
  std::string error = deep.body.value("error", "");
  EXPECT_NE(error.find("results.db: the outcome of toy.full.sim.agentic.s1"), std::string::npos)
      << error;
  EXPECT_NE(error.find("nested deeper than"), std::string::npos) << error;
  ApiReply array = HandleApi(catalog, "/api/runs/run/episodes/toy.window1.sim.agentic.s1", {});
  EXPECT_EQ(array.status, 500);
  EXPECT_NE(array.body.value("error", "").find("a JSON array, not an object"), std::string::npos)
      << array.body;

  ApiReply summary = HandleApi(catalog, "/api/runs/run", {});
  ASSERT_EQ(summary.status, 200) << summary.body;
  EXPECT_EQ(summary.body["tasks"], Json::array({"toy"}));
  EXPECT_EQ(summary.body["models"], Json::array());
  EXPECT_EQ(summary.body["status_reason"], "");
  EXPECT_EQ(summary.body["planned"], 2);  // the episodes found

  WriteFileAtomic(run + "/run.json", "{\"run_id\": ");
  Json runs = HandleApi(catalog, "/api/runs", {}).body["runs"];
  ASSERT_EQ(runs.size(), 1u);
  EXPECT_EQ(runs[0]["status"], "unreadable");
  EXPECT_NE(runs[0]["status_reason"].get<std::string>().find("run.json: not valid JSON"),
            std::string::npos)
      << runs[0];
}

// An episode whose row lost its outcome (NULL columns, no outcome_json) is
// shown with the outcome its events give: the row is not where the page's
// numbers come from.
TEST(ViewerCorruptRunTest, AnEpisodeWithoutARecordedOutcomeShowsItsEvents) {
  store_test::ScratchDir dir;
  const std::string run = dir.Path("run");
  viewer_test::WriteTestRun(run, 1);
  {
    SqliteDb db(run + "/results.db");
    db.Exec("UPDATE episodes SET start_json = NULL, outcome_json = NULL");
  }
  RunCatalog catalog({run});
  ApiReply ep = HandleApi(catalog, "/api/runs/run/episodes/toy.full.sim.agentic.s1", {});
  ASSERT_EQ(ep.status, 200) << ep.body;
  EXPECT_EQ(ep.body["episode"]["higher_is_better"], true);  // episode.start's
  EXPECT_EQ(ep.body["episode"]["metric"], "accuracy");
  EXPECT_EQ(ep.body["episode"]["baseline_metric"], 0.8);
  EXPECT_EQ(ep.body["outcome"], Json::object());
  EXPECT_EQ(ep.body["steps"].size(), 4u);
}

// An episode still running (no op.stop, no episode.end, no recorded
// outcome) is shown with the fold of its events so far (StoredOutcome's
// in-progress case) and its row's status.
TEST(ViewerCorruptRunTest, AnEpisodeInProgressShowsTheFoldOfItsEventsSoFar) {
  store_test::ScratchDir dir;
  const std::string run = dir.Path("run");
  viewer_test::WriteTestRun(run, 3);
  const std::string id = "toy.full.sim.agentic.s1";
  {
    SqliteDb db(run + "/results.db");
    db.Exec("DELETE FROM events WHERE episode_id = '" + id +
            "' AND (step > 2 OR type IN ('op.final_answer', 'op.final_evaluation', 'op.stop', "
            "'episode.end'))");
    db.Exec(
        "UPDATE episodes SET status = 'running', outcome_json = NULL, ended_at = NULL "
        "WHERE episode_id = '" +
        id + "'");
  }
  RunCatalog catalog({run});
  ApiReply ep = HandleApi(catalog, "/api/runs/run/episodes/" + id, {});
  ASSERT_EQ(ep.status, 200) << ep.body;
  EXPECT_EQ(ep.body["episode"]["status"], "running");
  EXPECT_EQ(ep.body["episode"]["steps"], 2);  // the fold so far, not the 3 it had
  EXPECT_EQ(ep.body["episode"]["success"], false);
  EXPECT_EQ(ep.body["episode"]["metric"], "accuracy");
  EXPECT_EQ(ep.body["outcome"], Json::object());
  EXPECT_EQ(ep.body["steps"].size(), 2u);
}

TEST_F(ViewerApiTest, SearchFindsEventTextAndEscapesWildcards) {
  Json hits = GetJson("/api/runs/run/search?q=Trying%20depth%205")["hits"];
  EXPECT_EQ(hits.size(), 6u);  // step 2 of each episode
  for (const Json& h : hits) EXPECT_EQ(h["type"], "op.llm");
  EXPECT_TRUE(GetJson("/api/runs/run/search?q=%25%25%25")["hits"].empty());
  Json paged = GetJson("/api/runs/run/search?q=depth&limit=2");
  EXPECT_EQ(paged["hits"].size(), 2u);
  EXPECT_EQ(paged["more"], true);
  GetJson("/api/runs/run/search?q=", 400);
}

TEST_F(ViewerApiTest, EventPagesHoldEveryEventInOrder) {
  Json all = Json::array();
  for (int offset = 0;; offset += 7) {
    Json page = GetJson("/api/runs/run/events?limit=7&offset=" + std::to_string(offset));
    for (const Json& e : page["events"]) all.push_back(e);
    if (!page["more"].get<bool>()) break;
  }
  Json search = GetJson("/api/runs/run/search?q=%22seq%22&limit=500");  // every event line
  ASSERT_EQ(all.size(), search["hits"].size());
  for (size_t i = 0; i < all.size(); ++i) {
    EXPECT_EQ(all[i]["episode_id"], search["hits"][i]["episode_id"]) << i;
    EXPECT_EQ(all[i]["seq"], search["hits"][i]["seq"]) << i;
    EXPECT_TRUE(Json::parse(all[i]["json"].get<std::string>()).is_object());
  }
  GetJson("/api/runs/run/events?limit=5001", 400);
}

// A workspace episode's edits reach the timeline as diffs.
TEST(ViewerEpisodeDiffTest, AnEditIsADiffOnItsToolResult) {
  store_test::ScratchDir dir;
  viewer_test::WriteTestRun(dir.Path("run"), 1);
  {
    auto store = SqliteStore::Open(dir.Path("run/results.db"));
    EventLog log(EpisodeKey{"ws", "full", "sim", "agentic", 1}, {store.get()});
    log.Append(viewer_test::MakeEvent(EventType::kEpisodeStart, 0, 0, Json::object()));
    auto call = [&](const std::string& id, const std::string& tool, const Json& args,
                    const std::string& reply) {
      Event c = viewer_test::MakeEvent(EventType::kLlmCall, 1, 1, Json::object());
      c.message = Message{Role::kAssistant, "", {{id, tool, args.dump()}}, "", ""};
      log.Append(c);
      Event r =
          viewer_test::MakeEvent(EventType::kToolResult, 1, 1, {{"tool", tool}, {"ok", true}});
      r.message = Message{Role::kTool, reply, {}, id, tool};
      log.Append(r);
    };
    call("c1", "read_file", {{"path", "params.json"}},
         "File params.json (lines 1-2 of 2):\n{\"eta\": 0.3,\n\"max_depth\": 1}\n");
    call("c2", "edit_file",
         {{"path", "params.json"}, {"search", "\"max_depth\": 1"}, {"replace", "\"max_depth\": 6"}},
         "Edited params.json: replaced 1 occurrence.");
  }
  RunCatalog catalog({dir.Path("run")});
  ApiReply reply = HandleApi(catalog, "/api/runs/run/episodes/ws.full.sim.agentic.s1", {});
  ASSERT_EQ(reply.status, 200) << reply.body.dump();
  Json diffs = Json::array();
  for (const Json& item : reply.body["timeline"]) {
    if (item.contains("diff")) diffs.push_back(item["diff"]);
  }
  ASSERT_EQ(diffs.size(), 1u);
  EXPECT_EQ(diffs[0]["before"], "replayed");
  EXPECT_EQ(diffs[0]["path"], "params.json");
  EXPECT_EQ(diffs[0]["hunks"][0]["lines"],
            Json({" {\"eta\": 0.3,", "-\"max_depth\": 1}", "+\"max_depth\": 6}"}));
}

TEST_F(ViewerApiTest, CompareServesBothSidesAndTheirCurves) {
  Json c = GetJson(
      "/api/runs/run/compare?a=toy.full.sim.agentic.s1&b=toy.window1.sim.agentic.s1&iteration=3");
  EXPECT_GT(c["only_a"].get<int>(), 0);
  EXPECT_FALSE(c["a"]["best_so_far"].empty());
  EXPECT_EQ(c["b"]["episode_id"], "toy.window1.sim.agentic.s1");
  GetJson("/api/runs/run/compare?a=toy.full.sim.agentic.s1", 400);
}

TEST_F(ViewerApiTest, ServesTheEmbeddedApp) {
  auto index = client_->Get("/");
  ASSERT_TRUE(index);
  EXPECT_EQ(index->status, 200);
  EXPECT_NE(index->body.find("assets/app.js"), std::string::npos);
  EXPECT_NE(index->get_header_value("Content-Security-Policy").find("default-src 'self'"),
            std::string::npos);
  auto js = client_->Get("/assets/xray.js");
  ASSERT_TRUE(js);
  EXPECT_EQ(js->status, 200);
  EXPECT_EQ(js->get_header_value("Content-Type"), "text/javascript; charset=utf-8");
  EXPECT_EQ(Status("/assets/none.js"), 404);
}

TEST_F(ViewerApiTest, FilesOnlyFromInsideTheRunFolder) {
  auto ok = client_->Get("/files/run/run.json");
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->status, 200);
  EXPECT_NE(ok->body.find("episodes_planned"), std::string::npos);
  EXPECT_EQ(Status("/files/run/traces/toy.full.sim.agentic.s1.jsonl"), 200);
  for (const char* path :
       {"/files/run/../secret.txt", "/files/run/%2e%2e/secret.txt",
        "/files/run/%2E%2E%2Fsecret.txt", "/files/run/traces/../../secret.txt",
        "/files/run/..%2fsecret.txt", "/files/run/%2e%2e%2f%2e%2e%2f%2e%2e%2fetc%2fpasswd",
        "/files/run//etc/passwd", "/files/run/%2fetc%2fpasswd", "/files/run/", "/files/run/traces",
        "/files/%2e%2e/secret.txt", "/assets/../api/runs", "/assets/%2e%2e%2fserver.cc"}) {
    auto res = client_->Get(path);
    ASSERT_TRUE(res) << path;
    EXPECT_EQ(res->status, 404) << path;
    EXPECT_EQ(res->body.find("outside the run folder"), std::string::npos) << path;
    EXPECT_EQ(res->body.find("root:"), std::string::npos) << path;
  }
}

TEST_F(ViewerApiTest, AnswersOnlyLoopbackHostsAndOnlyReads) {
  EXPECT_EQ(Status("/api/runs", {{"Host", "attacker.example:80"}}), 403);
  EXPECT_EQ(Status("/api/runs", {{"Host", "localhost:" + std::to_string(port_)}}), 200);
  auto post = client_->Post("/api/runs", "{}", "application/json");
  ASSERT_TRUE(post);
  EXPECT_GE(post->status, 400);
}

TEST(ViewerServerTest, ServesRunsCreatedAfterItStarted) {
  store_test::ScratchDir dir;
  viewer_test::WriteTestRun(dir.Path("runs/first"), 1);
  LiveRunCatalog catalog({dir.Path("runs")});
  ViewerServer server(catalog);
  int port = server.Bind("127.0.0.1", 0);
  std::thread serving([&server] { server.Serve(); });
  httplib::Client client("127.0.0.1", port);
  auto run_ids = [&client] {
    std::vector<std::string> ids;
    auto res = client.Get("/api/runs");
    if (res && res->status == 200) {
      Json body = Json::parse(res->body);
      for (const Json& run : body["runs"]) ids.push_back(run["id"]);
    }
    return ids;
  };
  EXPECT_EQ(run_ids(), std::vector<std::string>{"first"});

  viewer_test::WriteTestRun(dir.Path("runs/second"), 2);
  std::set<std::string> before = Listing(dir.path());
  // A link straight to the new run works before any list request...
  auto grid = client.Get("/api/runs/second/grid");
  ASSERT_TRUE(grid);
  EXPECT_EQ(grid->status, 200);
  EXPECT_EQ(Json::parse(grid->body)["cells"][0]["episodes"], 2);
  auto file = client.Get("/files/second/run.json");
  ASSERT_TRUE(file);
  EXPECT_EQ(file->status, 200);
  // ... and the list shows it.
  EXPECT_EQ(run_ids(), (std::vector<std::string>{"first", "second"}));
  auto missing = client.Get("/api/runs/third");
  ASSERT_TRUE(missing);
  EXPECT_EQ(missing->status, 404);
  server.Stop();
  serving.join();
  EXPECT_EQ(Listing(dir.path()), before) << "the viewer wrote into the folder";
}

}  // namespace
}  // namespace ctxbench
