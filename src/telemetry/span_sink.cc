#include "telemetry/span_sink.h"

#include <vector>

namespace ctxbench {

SpanSink::SpanSink(TraceId trace, SpanId run_span, std::map<std::string, SpanModelInfo> models,
                   Emit emit)
    : trace_(trace), run_span_(run_span), models_(std::move(models)), emit_(std::move(emit)) {}

SpanSink::~SpanSink() = default;

std::shared_ptr<SpanSink::Open> SpanSink::Find(const EpisodeKey& key, bool create) {
  std::lock_guard<std::mutex> lock(mu_);
  if (closed_) return nullptr;
  std::string id = key.Id();
  auto it = episodes_.find(id);
  if (it != episodes_.end() && !create) return it->second;
  if (!create) return nullptr;
  auto model = models_.find(key.model);
  auto open = std::make_shared<Open>();
  open->spans = std::make_unique<EpisodeSpans>(
      trace_, run_span_, key, model == models_.end() ? nullptr : &model->second, emit_);
  episodes_[id] = open;  // a rerun of the episode starts over
  return open;
}

void SpanSink::OnEvent(const EpisodeKey& key, const Event& event) {
  std::shared_ptr<Open> open = Find(key, event.type == EventType::kEpisodeStart);
  if (!open) return;  // events before episode.start: nothing to hang them on
  bool done;
  {
    std::lock_guard<std::mutex> lock(open->mu);
    try {
      open->spans->On(event);
    } catch (const std::exception& e) {
      std::lock_guard<std::mutex> skip(mu_);
      if (skipped_++ == 0) skip_reason_ = e.what();
    }
    done = open->spans->done();
  }
  if (!done) return;
  std::lock_guard<std::mutex> lock(mu_);
  auto it = episodes_.find(key.Id());
  if (it != episodes_.end() && it->second == open) episodes_.erase(it);
}

std::string SpanSink::Skipped() const {
  std::lock_guard<std::mutex> lock(mu_);
  if (skipped_ == 0) return "";
  return std::to_string(skipped_) + " events left out of the spans (first: " + skip_reason_ + ")";
}

void SpanSink::CloseOpenEpisodes(double now) {
  std::map<std::string, std::shared_ptr<Open>> open;
  {
    std::lock_guard<std::mutex> lock(mu_);
    open.swap(episodes_);
    closed_ = true;
  }
  for (auto& [id, ep] : open) {
    std::lock_guard<std::mutex> lock(ep->mu);
    ep->spans->Abandon(now);
  }
}

}  // namespace ctxbench
