#include "llm/openai/chat_stream.h"

#include <algorithm>

#include "core/json.h"
#include "core/json_limits.h"
#include "llm/openai/chat_wire.h"

namespace ctxbench {

void ChatStreamAssembler::Feed(std::string_view bytes) {
  if (bytes.size() > max_bytes_ - std::min(max_bytes_, fed_bytes_)) {
    if (error_.empty()) {
      error_ = "the stream passed max_response_bytes " + std::to_string(max_bytes_) + " bytes";
    }
    fed_bytes_ = max_bytes_;
    pending_.clear();
    data_.clear();
    return;
  }
  fed_bytes_ += bytes.size();
  Append(bytes);
}

void ChatStreamAssembler::Append(std::string_view bytes) {
  pending_.append(bytes);
  size_t start = 0;
  for (size_t nl; (nl = pending_.find('\n', start)) != std::string::npos; start = nl + 1) {
    std::string line = pending_.substr(start, nl - start);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) {  // end of an event
      if (!data_.empty()) Event(data_);
      data_.clear();
    } else if (line.rfind("data:", 0) == 0) {
      std::string value = line.substr(5);
      if (!value.empty() && value[0] == ' ') value.erase(0, 1);
      if (!data_.empty()) data_ += "\n";
      data_ += value;
    }  // comments (":") and other fields (event:, id:, retry:) are ignored
  }
  pending_.erase(0, start);
}

void ChatStreamAssembler::Event(const std::string& data) {
  if (data == "[DONE]") {
    done_ = true;
    return;
  }
  std::string why;
  Json j = ParseJsonWithin(data, kMaxJsonDepth, &why);
  if (j.is_discarded() || !j.is_object()) {
    if (error_.empty()) {
      error_ = !why.empty() ? "a stream chunk is " + why : "a stream chunk is not JSON";
    }
    return;
  }
  if (j.contains("error")) {
    if (error_.empty()) error_ = "the stream reported an error: " + ServerErrorMessage(data);
    return;
  }
  if (j.contains("usage") && UsageFromJson(j["usage"], &usage_)) have_usage_ = true;
  if (!j.contains("choices") || !j["choices"].is_array()) return;
  for (const Json& choice : j["choices"]) {
    if (!choice.is_object()) continue;
    if (choice.contains("finish_reason") && choice["finish_reason"].is_string()) {
      finish_reason_ = choice["finish_reason"];
    }
    if (!choice.contains("delta") || !choice["delta"].is_object()) continue;
    const Json& delta = choice["delta"];
    if (delta.contains("content") && delta["content"].is_string()) {
      const std::string& piece = delta["content"].get_ref<const std::string&>();
      content_ += piece;
      received_chars_ += piece.size();
    }
    if (!delta.contains("tool_calls") || !delta["tool_calls"].is_array()) continue;
    for (const Json& tc : delta["tool_calls"]) {
      if (!tc.is_object()) continue;
      int index = tc.contains("index") && tc["index"].is_number_integer()
                      ? tc["index"].get<int>()
                      : static_cast<int>(calls_.size());
      Call& call = calls_[index];
      if (tc.contains("id") && tc["id"].is_string()) call.id = tc["id"];
      if (!tc.contains("function") || !tc["function"].is_object()) continue;
      const Json& f = tc["function"];
      if (f.contains("name") && f["name"].is_string()) call.name += f["name"].get<std::string>();
      if (f.contains("arguments") && f["arguments"].is_string()) {
        const std::string& piece = f["arguments"].get_ref<const std::string&>();
        call.arguments += piece;
        received_chars_ += piece.size();
      }
    }
  }
}

Expected<Completion> ChatStreamAssembler::Finish(bool text_tools) {
  if (!pending_.empty() || !data_.empty()) Append("\n\n");  // a last event without its blank line
  if (!error_.empty()) return Expected<Completion>::Failure(error_);
  if (!done_ && finish_reason_.empty()) {
    return Expected<Completion>::Failure("the stream ended before its last chunk");
  }
  Json message = {{"role", "assistant"}, {"content", content_}};
  if (!calls_.empty()) {
    Json calls = Json::array();
    for (const auto& [index, c] : calls_) {
      calls.push_back({{"id", c.id.empty() ? "call_" + std::to_string(index) : c.id},
                       {"type", "function"},
                       {"function", {{"name", c.name}, {"arguments", c.arguments}}}});
    }
    message["tool_calls"] = calls;
  }
  Completion out;
  out.message = AssistantMessageFromJson(message, text_tools);
  out.finish_reason = finish_reason_;
  out.usage = usage_;
  out.estimated_tokens = !have_usage_;
  return out;
}

}  // namespace ctxbench
