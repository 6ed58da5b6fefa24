// Test support: an EventSink that keeps every event it is given, in order.
// Not thread-safe (one episode's thread). Used only by *_test.cc.
#pragma once

#include <vector>

#include "events/event.h"

namespace ctxbench {

class EventCollector final : public EventSink {
 public:
  void OnEvent(const EpisodeKey&, const Event& e) override { events.push_back(e); }

  // How many of the events are of `type`.
  int Count(EventType type) const {
    int n = 0;
    for (const Event& e : events) n += e.type == type;
    return n;
  }
  // The events of `type`, in order; pointers into `events`, valid until the
  // next OnEvent.
  std::vector<const Event*> Of(EventType type) const {
    std::vector<const Event*> out;
    for (const Event& e : events) {
      if (e.type == type) out.push_back(&e);
    }
    return out;
  }

  std::vector<Event> events;
};

}  // namespace ctxbench
