#include "llm/openai/fake_chat_server.h"

#include <httplib.h>

#include <atomic>
#include <chrono>
#include <map>
#include <mutex>
#include <thread>

#include "core/json.h"

namespace ctxbench {

namespace {

Json CompletionBody(const Json& message, const std::string& finish) {
  return {{"id", "chatcmpl-test"},
          {"object", "chat.completion"},
          {"choices", {{{"index", 0}, {"message", message}, {"finish_reason", finish}}}},
          {"usage",
           {{"prompt_tokens", 120},
            {"completion_tokens", 30},
            {"prompt_tokens_details", {{"cached_tokens", 20}}}}}};
}

std::string Sse(const Json& chunk) { return "data: " + chunk.dump() + "\n\n"; }

Json Delta(const Json& delta, const Json& finish = nullptr) {
  return {{"choices", {{{"index", 0}, {"delta", delta}, {"finish_reason", finish}}}}};
}

}  // namespace

struct FakeChatServer::Impl {
  httplib::Server server;
  std::thread thread;
  int port = 0;
  std::atomic<bool> stopping{false};
  mutable std::mutex mutex;
  std::map<std::string, int> counts;

  int Count(const std::string& scenario) {
    std::lock_guard<std::mutex> lock(mutex);
    return ++counts[scenario];
  }

  void Handle(const httplib::Request& req, httplib::Response& res) {
    std::string scenario = req.matches[1];
    int n = Count(scenario);
    Json body = Json::parse(req.body, nullptr, false);
    if (body.is_discarded() || !body.contains("messages")) {
      res.status = 400;
      res.set_content(R"({"error":{"message":"bad request body"}})", "application/json");
      return;
    }
    if (scenario == "ok") {
      std::string last = body["messages"].back().value("content", "");
      res.set_content(
          CompletionBody({{"role", "assistant"}, {"content", "echo: " + last}}, "stop").dump(),
          "application/json");
    } else if (scenario == "tools") {
      Json calls = {{{"id", "call_a"},
                     {"type", "function"},
                     {"function", {{"name", "note"}, {"arguments", R"({"text":"t"})"}}}},
                    {{"id", "call_b"},
                     {"type", "function"},
                     {"function", {{"name", "train"}, {"arguments", "{broken"}}}}};
      res.set_content(
          CompletionBody({{"role", "assistant"}, {"content", nullptr}, {"tool_calls", calls}},
                         "tool_calls")
              .dump(),
          "application/json");
    } else if (scenario == "stream" || scenario == "stall") {
      bool stall = scenario == "stall";
      res.set_chunked_content_provider("text/event-stream", [this, stall](size_t,
                                                                          httplib::DataSink& sink) {
        std::string s = Sse(Delta({{"role", "assistant"}, {"content", "Let me "}}));
        s += Sse(Delta({{"tool_calls",
                         {{{"index", 0},
                           {"id", "call_s"},
                           {"type", "function"},
                           {"function", {{"name", "train"}, {"arguments", "{\"config\""}}}}}}}));
        sink.write(s.data(), s.size());
        if (stall) {
          for (int i = 0; i < 100 && !stopping; ++i) {
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
          }
          return false;
        }
        s = Sse(Delta({{"tool_calls", {{{"index", 0}, {"function", {{"arguments", ": {}}"}}}}}}}));
        s += Sse(Delta(Json::object(), "tool_calls"));
        s += Sse({{"choices", Json::array()},
                  {"usage", {{"prompt_tokens", 50}, {"completion_tokens", 7}}}});
        s += "data: [DONE]\n\n";
        sink.write(s.data(), s.size());
        sink.done();
        return true;
      });
    } else if (scenario == "flaky429" && n == 1) {
      res.status = 429;
      res.set_header("Retry-After", "0");
      res.set_content(R"({"error":{"message":"rate limited"}})", "application/json");
    } else if (scenario == "flaky500" && n <= 2) {
      res.status = 500;
      res.set_content(R"({"error":{"message":"internal"}})", "application/json");
    } else if (scenario == "flaky429" || scenario == "flaky500") {
      res.set_content(
          CompletionBody({{"role", "assistant"}, {"content", "recovered"}}, "stop").dump(),
          "application/json");
    } else if (scenario == "hang") {
      for (int i = 0; i < 100 && !stopping; ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
      }
      res.set_content("{}", "application/json");
    } else if (scenario == "malformed") {
      res.set_content("{\"choices\": [", "application/json");
    } else if (scenario == "unauthorized") {
      res.status = 401;
      std::string token = req.get_header_value("Authorization");
      res.set_content(
          Json({{"error", {{"message", "Incorrect API key provided: " + token}}}}).dump(),
          "application/json");
    } else {
      res.status = 404;
      res.set_content(R"({"error":{"message":"no such scenario"}})", "application/json");
    }
  }
};

FakeChatServer::FakeChatServer() : impl_(std::make_unique<Impl>()) {
  impl_->server.Post(
      R"(/(\w+)/v1/chat/completions)",
      [this](const httplib::Request& req, httplib::Response& res) { impl_->Handle(req, res); });
  impl_->port = impl_->server.bind_to_any_port("127.0.0.1");
  impl_->thread = std::thread([this] { impl_->server.listen_after_bind(); });
}

FakeChatServer::~FakeChatServer() {
  impl_->stopping = true;
  impl_->server.stop();
  if (impl_->thread.joinable()) impl_->thread.join();
}

std::string FakeChatServer::BaseUrl(const std::string& scenario) const {
  return "http://127.0.0.1:" + std::to_string(impl_->port) + "/" + scenario + "/v1";
}

int FakeChatServer::Requests(const std::string& scenario) const {
  std::lock_guard<std::mutex> lock(impl_->mutex);
  auto it = impl_->counts.find(scenario);
  return it == impl_->counts.end() ? 0 : it->second;
}

}  // namespace ctxbench
