// The identity of one episode in a run's grid.
#pragma once

#include <cstdint>
#include <string>

namespace ctxbench {

struct EpisodeKey {
  std::string task;
  std::string policy;  // the policy's configured name
  std::string model;   // the model's configured name
  std::string mode;    // "agentic" or "controller"
  uint64_t seed = 0;

  // "toy_tabular.window4.sim.agentic.s1": unique within a run, safe as a file name.
  std::string Id() const;
  bool operator==(const EpisodeKey&) const = default;
};

}  // namespace ctxbench
