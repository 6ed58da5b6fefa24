// KaggleClient against a local server speaking the download-all path with
// basic auth (cpp-httplib on 127.0.0.1).
#include "datasets/kaggle_client.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <thread>

#include "core/cancel.h"
#include "core/error.h"
#include "core/file.h"
#include "core/test_scratch_dir.h"

namespace ctxbench {
namespace {

namespace fs = std::filesystem;

constexpr const char* kUser = "tester";
constexpr const char* kKey = "0123456789abcdef-secret";

class FakeKaggle {
 public:
  FakeKaggle() {
    server_.Get(R"(/api/v1/competitions/data/download-all/([\w-]+))",
                [](const httplib::Request& req, httplib::Response& res) {
                  // "tester:0123456789abcdef-secret" in base64.
                  if (req.get_header_value("Authorization") !=
                      "Basic dGVzdGVyOjAxMjM0NTY3ODlhYmNkZWYtc2VjcmV0") {
                    res.status = 401;
                    return;
                  }
                  std::string name = req.matches[1];
                  if (name == "unjoined") {
                    res.status = 403;
                  } else if (name == "moved") {
                    res.status = 302;
                    res.set_header("Location", "/storage/blob");
                  } else if (name != "known") {
                    res.status = 404;
                  } else {
                    res.set_content(std::string(5000, 'z'), "application/zip");
                  }
                });
    // The file list: the v1 array for "known", the paged object form for
    // "paged" (page 2 behind pageToken=p2), not JSON for "garbled".
    server_.Get(R"(/api/v1/competitions/data/list/([\w-]+))", [](const httplib::Request& req,
                                                                 httplib::Response& res) {
      std::string name = req.matches[1];
      if (req.get_header_value("Authorization") !=
          "Basic dGVzdGVyOjAxMjM0NTY3ODlhYmNkZWYtc2VjcmV0") {
        res.status = 401;
      } else if (name == "known") {
        res.set_content(R"([{"ref": "train.csv", "name": "train.csv", "totalBytes": 1200,)"
                        R"( "creationDate": "2017-12-18T21:19:56Z", "url": "u"},)"
                        R"( {"name": "test.csv"}])",
                        "application/json");
      } else if (name == "paged" && req.get_param_value("pageToken") == "p2") {
        res.set_content(R"({"files": [{"name": "b.csv", "totalBytes": 2}]})", "application/json");
      } else if (name == "paged") {
        res.set_content(R"({"files": [{"name": "a.csv", "totalBytes": 1}], "nextPageToken": "p2"})",
                        "application/json");
      } else if (name == "garbled") {
        res.set_content("<html>", "text/html");
      } else {
        res.status = 404;
      }
    });
    // One data file: "known" holds train.csv and images/a b.png (a name
    // with a folder and a space, sent percent-encoded).
    server_.Get(R"(/api/v1/competitions/data/download/([\w-]+)/(.+))",
                [this](const httplib::Request& req, httplib::Response& res) {
                  file_paths_.push_back(req.target);
                  std::string name = req.matches[1], file = req.matches[2];
                  if (req.get_header_value("Authorization") !=
                      "Basic dGVzdGVyOjAxMjM0NTY3ODlhYmNkZWYtc2VjcmV0") {
                    res.status = 401;
                  } else if (name == "known" && file == "train.csv") {
                    res.set_content(std::string(3000, 't'), "text/csv");
                  } else if (name == "known" && file == "images/a b.png") {
                    res.set_content("png-bytes", "image/png");
                  } else {
                    res.status = 404;
                  }
                });
    server_.Get("/storage/blob", [this](const httplib::Request& req, httplib::Response& res) {
      redirect_auth_ = req.get_header_value("Authorization");
      res.set_content("moved-bytes", "application/zip");
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    // stop() before the listener runs would leave it in accept() for ever
    // (the destructor's join hung when a test returned at once).
    while (!server_.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  ~FakeKaggle() {
    server_.stop();
    thread_.join();
  }
  std::string Base() const { return "http://127.0.0.1:" + std::to_string(port_) + "/api/v1"; }
  std::string redirect_auth_;
  std::vector<std::string> file_paths_;  // request targets of one-file downloads

 private:
  httplib::Server server_;
  int port_ = 0;
  std::thread thread_;
};

KaggleClient Client(const std::string& base, const std::string& key = kKey) {
  return KaggleClient(base, KaggleCredentials{kUser, key, "test"});
}

// The error a download throws; checks the key is not in it and no file is left.
std::string Failure(const KaggleClient& client, const std::string& competition,
                    const ScratchDir& dir) {
  std::string msg;
  try {
    client.DownloadAll(competition, dir.Path("c.zip"), false, true);
    ADD_FAILURE() << "downloaded";
  } catch (const Error& e) {
    msg = e.what();
  }
  EXPECT_EQ(msg.find(kKey), std::string::npos) << msg;
  EXPECT_TRUE(fs::is_empty(dir.path())) << "a file was left behind";
  return msg;
}

TEST(KaggleClientTest, DownloadsWithBasicAuth) {
  FakeKaggle server;
  ScratchDir dir;
  EXPECT_EQ(Client(server.Base()).DownloadAll("known", dir.Path("c.zip"), false, true), 5000u);
  EXPECT_EQ(ReadFile(dir.Path("c.zip")), std::string(5000, 'z'));
}

TEST(KaggleClientTest, FollowsARedirect) {
  FakeKaggle server;
  ScratchDir dir;
  Client(server.Base()).DownloadAll("moved", dir.Path("c.zip"), false, true);
  EXPECT_EQ(ReadFile(dir.Path("c.zip")), "moved-bytes");
}

TEST(KaggleClientTest, StatusCodesBecomeOneLineErrors) {
  FakeKaggle server;
  ScratchDir dir;
  std::string msg = Failure(Client(server.Base(), "wrong-key"), "known", dir);
  EXPECT_NE(msg.find("HTTP 401"), std::string::npos) << msg;
  msg = Failure(Client(server.Base()), "unjoined", dir);
  EXPECT_NE(msg.find("accept its rules at https://www.kaggle.com/c/unjoined/rules"),
            std::string::npos)
      << msg;
  msg = Failure(Client(server.Base()), "no-such-competition", dir);
  EXPECT_NE(msg.find("HTTP 404"), std::string::npos) << msg;
  EXPECT_EQ(msg.find('\n'), std::string::npos) << msg;
}

TEST(KaggleClientTest, ListsFilesInBothAnswerShapes) {
  FakeKaggle server;
  std::vector<KaggleFile> files = Client(server.Base()).ListFiles("known");
  ASSERT_EQ(files.size(), 2u);
  EXPECT_EQ(files[0].name, "train.csv");
  EXPECT_EQ(files[0].total_bytes, 1200u);
  EXPECT_EQ(files[0].creation_date, "2017-12-18T21:19:56Z");
  EXPECT_EQ(files[1].name, "test.csv");
  EXPECT_EQ(files[1].total_bytes, 0u);  // not given
  files = Client(server.Base()).ListFiles("paged");
  ASSERT_EQ(files.size(), 2u);
  EXPECT_EQ(files[0].name, "a.csv");
  EXPECT_EQ(files[1].name, "b.csv");
}

TEST(KaggleClientTest, FileListErrorsAreOneLine) {
  FakeKaggle server;
  auto message = [&](const KaggleClient& client, const std::string& competition) {
    try {
      client.ListFiles(competition);
    } catch (const Error& e) {
      return std::string(e.what());
    }
    return std::string("listed");
  };
  std::string msg = message(Client(server.Base()), "garbled");
  EXPECT_NE(msg.find("kaggle:garbled: Kaggle's file list is not JSON"), std::string::npos) << msg;
  msg = message(Client(server.Base()), "nothing-here");
  EXPECT_NE(msg.find("HTTP 404"), std::string::npos) << msg;
  msg = message(Client(server.Base(), "wrong-key"), "known");
  EXPECT_NE(msg.find("HTTP 401"), std::string::npos) << msg;
  EXPECT_EQ(msg.find(kKey), std::string::npos) << msg;
}

// A port on 127.0.0.1 that was just free; nothing listens on it now.
int FreePort() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  EXPECT_GE(fd, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  EXPECT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  EXPECT_EQ(::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len), 0);
  ::close(fd);
  return ntohs(addr.sin_port);
}

TEST(KaggleClientTest, ConnectionRefusedSaysNetwork) {
  ScratchDir dir;
  int port = FreePort();
  std::string msg =
      Failure(Client("http://127.0.0.1:" + std::to_string(port) + "/api/v1"), "known", dir);
  EXPECT_NE(msg.find("connection refused"), std::string::npos) << msg;
}

TEST(KaggleClientTest, ABaseUrlsUserInfoIsInNoMessage) {
  ScratchDir dir;
  std::string port = std::to_string(FreePort());
  std::string msg =
      Failure(Client("http://who:pw-in-url@127.0.0.1:" + port + "/api/v1"), "known", dir);
  EXPECT_NE(msg.find("cannot reach http://127.0.0.1:" + port + "/api/v1"), std::string::npos)
      << msg;
  EXPECT_EQ(msg.find("pw-in-url"), std::string::npos) << msg;
}

TEST(KaggleClientTest, InterruptLeavesNoFile) {
  FakeKaggle server;
  ScratchDir dir;
  Cancellation::Process().Request();
  std::string msg;
  try {
    Client(server.Base()).DownloadAll("known", dir.Path("c.zip"), false, true);
  } catch (const CancelledError& e) {
    msg = e.what();
  }
  Cancellation::Process().Clear();
  EXPECT_NE(msg.find("interrupted"), std::string::npos) << msg;
  EXPECT_TRUE(fs::is_empty(dir.path()));
}

TEST(KaggleClientTest, DownloadsOneFile) {
  FakeKaggle server;
  ScratchDir dir;
  KaggleClient client = Client(server.Base());
  EXPECT_EQ(client.DownloadFile("known", "train.csv", dir.Path("t.csv"), false, true, 1 << 20),
            3000u);
  EXPECT_EQ(ReadFile(dir.Path("t.csv")), std::string(3000, 't'));
  client.DownloadFile("known", "images/a b.png", dir.Path("a.png"), false, true, 1 << 20);
  EXPECT_EQ(ReadFile(dir.Path("a.png")), "png-bytes");
  ASSERT_EQ(server.file_paths_.size(), 2u);
  EXPECT_EQ(server.file_paths_[1], "/api/v1/competitions/data/download/known/images%2Fa%20b.png");
}

TEST(KaggleClientTest, OneFileErrorsKeepNothing) {
  FakeKaggle server;
  ScratchDir dir;
  auto failure = [&](const KaggleClient& client, const std::string& file, uint64_t cap) {
    std::string msg;
    try {
      client.DownloadFile("known", file, dir.Path("f"), false, true, cap);
      ADD_FAILURE() << "downloaded " << file;
    } catch (const Error& e) {
      msg = e.what();
    }
    EXPECT_EQ(msg.find(kKey), std::string::npos) << msg;
    EXPECT_EQ(msg.find('\n'), std::string::npos) << msg;
    EXPECT_TRUE(fs::is_empty(dir.path())) << "a file was left behind";
    return msg;
  };
  std::string msg = failure(Client(server.Base()), "train.csv", 2999);
  EXPECT_NE(msg.find("train.csv is larger than"), std::string::npos) << msg;
  msg = failure(Client(server.Base()), "missing.csv", 1 << 20);
  EXPECT_NE(msg.find("no data file \"missing.csv\""), std::string::npos) << msg;
  EXPECT_NE(msg.find("--list"), std::string::npos) << msg;
  msg = failure(Client(server.Base(), "wrong-key"), "train.csv", 1 << 20);
  EXPECT_NE(msg.find("HTTP 401"), std::string::npos) << msg;
  for (const char* bad : {"../x.csv", "/etc/passwd", "a\\b", "", "images/"}) {
    EXPECT_THROW(CheckDataFileName("known", bad), Error) << bad;
    failure(Client(server.Base()), bad, 1 << 20);
  }
  EXPECT_EQ(server.file_paths_.size(), 3u);  // the refused names were never sent
}

TEST(KaggleClientTest, RefusesNamesThatAreNotSlugs) {
  EXPECT_THROW(CheckCompetitionName("../etc"), Error);
  EXPECT_THROW(CheckCompetitionName("a/b"), Error);
  EXPECT_THROW(CheckCompetitionName(""), Error);
  EXPECT_NO_THROW(CheckCompetitionName("nomad2018-predict-transparent-conductors"));
}

TEST(KaggleClientTest, ApiBaseFromEnvironment) {
  auto env = [](const std::string& name) -> std::optional<std::string> {
    if (name == "KAGGLE_API_BASE") return "http://127.0.0.1:1/api/v1/";
    return std::nullopt;
  };
  EXPECT_EQ(KaggleApiBase(env), "http://127.0.0.1:1/api/v1");
  EXPECT_EQ(KaggleApiBase([](const std::string&) { return std::optional<std::string>(); }),
            kKaggleApiBase);
}

}  // namespace
}  // namespace ctxbench
