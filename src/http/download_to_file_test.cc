// DownloadToFile over the libcurl transport against a real HTTP server on
// 127.0.0.1 (cpp-httplib): the whole body lands at the destination, and no
// failure (status, abort, cap, truncation, a local write error) leaves a
// partial file there or beside it.
#include "http/download_to_file.h"

#include <gtest/gtest.h>
#include <httplib.h>
#include <sys/resource.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "core/test_scratch_dir.h"
#include "http/test_http_server.h"

namespace ctxbench {
namespace {

namespace fs = std::filesystem;

// A body long enough to arrive in several chunks.
std::string Blob() {
  std::string s;
  for (int i = 0; s.size() < 300000; ++i) s += std::to_string(i) + ",";
  return s;
}

class BlobServer {
 public:
  BlobServer() {
    http_.server().Get("/blob", [](const httplib::Request&, httplib::Response& res) {
      res.set_content(Blob(), "application/octet-stream");
    });
    http_.server().Get("/missing", [](const httplib::Request&, httplib::Response& res) {
      res.status = 404;
      res.set_content("no such blob", "text/plain");
    });
    // Announces the whole blob, sends a third of it and closes.
    http_.server().Get("/cut", [](const httplib::Request&, httplib::Response& res) {
      std::string blob = Blob();
      res.set_content_provider(blob.size(), "application/octet-stream",
                               [blob](size_t offset, size_t, httplib::DataSink& sink) {
                                 if (offset >= blob.size() / 3) return false;
                                 sink.write(blob.data() + offset, blob.size() / 3);
                                 return true;
                               });
    });
    // 1 KB every 20 ms, up to 1 MB (aborted long before).
    http_.server().Get("/slow", [](const httplib::Request&, httplib::Response& res) {
      res.set_content_provider(1 << 20, "application/octet-stream",
                               [](size_t, size_t, httplib::DataSink& sink) {
                                 std::this_thread::sleep_for(std::chrono::milliseconds(20));
                                 std::string kb(1024, 's');
                                 sink.write(kb.data(), kb.size());
                                 return true;
                               });
    });
    http_.Start();
  }
  HttpRequest Get(const std::string& path) const {
    HttpRequest request;
    request.method = "GET";
    request.url = http_.Url(path);
    request.timeout_s = 0;  // none, as a download
    request.max_response_bytes = UINT64_MAX;
    return request;
  }

 private:
  TestHttpServer http_;
};

std::string Read(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

void WriteText(const std::string& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

// The names in `dir` (a partial file would show here).
std::vector<std::string> Names(const fs::path& dir) {
  std::vector<std::string> names;
  for (const auto& e : fs::recursive_directory_iterator(dir)) {
    if (e.is_regular_file()) names.push_back(fs::relative(e.path(), dir).string());
  }
  return names;
}

TEST(DownloadToFileTest, WritesTheWholeBodyIntoNewFoldersAndReportsProgress) {
  BlobServer server;
  ScratchDir dir;
  HttpRequest request = server.Get("/blob");
  uint64_t last_received = 0, last_expected = 0;
  request.on_progress = [&](uint64_t received, uint64_t expected) {
    EXPECT_GE(received, last_received);
    last_received = received;
    last_expected = expected;
  };
  auto transport = MakeCurlTransport();
  DownloadResult r = DownloadToFile(*transport, request, dir.Path("a/b/blob.bin"));
  ASSERT_TRUE(r.ok()) << r.response.error << r.file_error;
  EXPECT_EQ(r.bytes, Blob().size());
  EXPECT_TRUE(r.response.body.empty());
  EXPECT_EQ(Read(dir.Path("a/b/blob.bin")), Blob());
  EXPECT_EQ(last_received, Blob().size());
  EXPECT_EQ(last_expected, Blob().size());
  EXPECT_EQ(Names(dir.path()), std::vector<std::string>{"a/b/blob.bin"});
}

TEST(DownloadToFileTest, ReplacesAnEarlierFileOnlyWhenComplete) {
  BlobServer server;
  ScratchDir dir;
  std::string dest = dir.Path("blob.bin");
  WriteText(dest, "earlier");
  auto transport = MakeCurlTransport();
  DownloadResult missing = DownloadToFile(*transport, server.Get("/missing"), dest);
  EXPECT_FALSE(missing.ok());
  EXPECT_EQ(missing.response.status, 404);
  EXPECT_EQ(missing.response.body, "no such blob");  // an error body is kept, not written
  EXPECT_EQ(Read(dest), "earlier");
  EXPECT_EQ(Names(dir.path()), std::vector<std::string>{"blob.bin"});
  ASSERT_TRUE(DownloadToFile(*transport, server.Get("/blob"), dest).ok());
  EXPECT_EQ(Read(dest), Blob());
}

TEST(DownloadToFileTest, ATruncatedBodyKeepsNothing) {
  BlobServer server;
  ScratchDir dir;
  DownloadResult r = DownloadToFile(*MakeCurlTransport(), server.Get("/cut"), dir.Path("c"));
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(r.response.status, 0);
  EXPECT_TRUE(r.response.truncated) << r.response.error;
  EXPECT_EQ(r.bytes, Blob().size() / 3);
  EXPECT_TRUE(fs::is_empty(dir.path()));
}

TEST(DownloadToFileTest, ABodyOverTheCapKeepsNothing) {
  BlobServer server;
  ScratchDir dir;
  HttpRequest request = server.Get("/blob");
  request.max_response_bytes = Blob().size() - 1;
  DownloadResult r = DownloadToFile(*MakeCurlTransport(), request, dir.Path("c"));
  EXPECT_FALSE(r.ok());
  EXPECT_TRUE(r.response.too_large) << r.response.error;
  EXPECT_TRUE(fs::is_empty(dir.path()));
}

TEST(DownloadToFileTest, AbortMidwayKeepsTheEarlierFile) {
  BlobServer server;
  ScratchDir dir;
  std::string dest = dir.Path("slow.bin");
  WriteText(dest, "earlier");
  HttpRequest request = server.Get("/slow");
  std::atomic<bool> abort{false};
  request.abort = [&abort] { return abort.load(); };
  request.on_progress = [&abort](uint64_t received, uint64_t) {
    if (received >= 4096) abort = true;
  };
  DownloadResult r = DownloadToFile(*MakeCurlTransport(), request, dest);
  EXPECT_FALSE(r.ok());
  EXPECT_TRUE(r.response.aborted) << r.response.error;
  EXPECT_GE(r.bytes, 4096u);
  EXPECT_LT(r.bytes, 1u << 20);
  EXPECT_EQ(Read(dest), "earlier");
  EXPECT_EQ(Names(dir.path()), std::vector<std::string>{"slow.bin"});
}

TEST(DownloadToFileTest, ALocalWriteFailureIsNamedAndKeepsNothing) {
  BlobServer server;
  ScratchDir dir;
  // Files of this process may not pass 64 KB: the write fails with EFBIG.
  rlimit old{};
  ASSERT_EQ(::getrlimit(RLIMIT_FSIZE, &old), 0);
  rlimit small = old;
  small.rlim_cur = 64 << 10;
  auto old_handler = std::signal(SIGXFSZ, SIG_IGN);
  ASSERT_EQ(::setrlimit(RLIMIT_FSIZE, &small), 0);
  DownloadResult r = DownloadToFile(*MakeCurlTransport(), server.Get("/blob"), dir.Path("c"));
  ::setrlimit(RLIMIT_FSIZE, &old);
  std::signal(SIGXFSZ, old_handler);
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(r.file_error, "cannot write the download: File too large");
  EXPECT_TRUE(r.response.stopped);
  EXPECT_TRUE(fs::is_empty(dir.path()));
}

TEST(DownloadToFileTest, AFolderThatCannotBeMadeIsAFileError) {
  ScratchDir dir;
  WriteText(dir.Path("plain"), "x");
  HttpRequest request;
  request.url = "http://127.0.0.1:1/never-sent";
  DownloadResult r = DownloadToFile(*MakeCurlTransport(), request, dir.Path("plain/sub/c"));
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(r.file_error.rfind("cannot create the download file: ", 0), 0u) << r.file_error;
  EXPECT_EQ(r.response.status, 0);
  EXPECT_EQ(Names(dir.path()), std::vector<std::string>{"plain"});
}

}  // namespace
}  // namespace ctxbench
