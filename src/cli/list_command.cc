// `ctxbench list tasks|policies|models`: what a config may name.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "context/policy.h"
#include "core/error.h"
#include "run/run_config.h"
#include "tasks/task_spec.h"

namespace ctxbench {
namespace {

struct ListFlags {
  std::string what;
  std::string config;  // optional: also list what this config names
};

// The first line of `text`, cut to `width` characters.
std::string FirstLine(const std::string& text, size_t width = 90) {
  std::string line = text.substr(0, text.find('\n'));
  return line.size() > width ? line.substr(0, width - 3) + "..." : line;
}

void ListTasksMain(const RunConfig* config) {
  std::vector<std::string> dirs = DefaultTaskDirs();
  if (config != nullptr)
    dirs.insert(dirs.end(), config->task_dirs.begin(), config->task_dirs.end());
  std::vector<std::string> names = ListTasks(dirs);
  for (const std::string& name : names) {
    std::string about;
    try {
      about = FirstLine(FindTask(name, dirs).description);
    } catch (const Error& e) {
      about = std::string("(unreadable: ") + e.what() + ")";
    }
    std::printf("%-24s %s\n", name.c_str(), about.c_str());
  }
  if (names.empty()) std::printf("(no tasks found)\n");
  std::string searched;
  for (const auto& d : dirs) searched += (searched.empty() ? "" : ", ") + d;
  std::printf("\nSearched: %s (CTXBENCH_TASKS_DIR and a config's task_dirs add folders)\n",
              searched.empty() ? "no folders" : searched.c_str());
}

void ListPoliciesMain(const RunConfig* config) {
  std::printf("Policy types (docs/policies.md):\n");
  for (const std::string& type : PolicyTypes()) std::printf("  %s\n", type.c_str());
  std::printf("Presets (policy_type / --policy-type):\n");
  for (const char* preset : {"short_context", "long_context"}) {
    PolicyConfig p = PresetPolicy(preset, preset);
    std::printf("  %-14s = %s %s\n", preset, p.type.c_str(), p.params.dump().c_str());
  }
  if (config == nullptr) return;
  std::printf("Configured in %s:\n", config->source.c_str());
  for (const PolicyConfig& p : config->policies) {
    std::printf("  %-14s = %s %s\n", p.name.c_str(), p.type.c_str(), p.params.dump().c_str());
  }
}

void ListModelsMain(const RunConfig* config) {
  std::printf(
      "Model kinds (docs/models.md):\n"
      "  sim                 the built-in deterministic experimenter (not an LLM; no key)\n"
      "  openai:MODEL_NAME   a model of any OpenAI-compatible server (OpenAI, vLLM, llama.cpp, "
      "Ollama; --base-url)\n"
      "  replay              answers from a recorded run's calls.db (configure \"from\")\n");
  if (config == nullptr) return;
  std::printf("Configured in %s (--model NAME):\n", config->source.c_str());
  for (const ModelConfig& m : config->models) {
    std::string model = m.params.value("model", "");
    std::printf("  %-20s %s%s\n", m.name.c_str(), m.kind.c_str(),
                model.empty() ? "" : (" " + model).c_str());
  }
}

}  // namespace

void AddListCommand(CLI::App& app, int* /*exit_code*/) {
  auto flags = std::make_shared<ListFlags>();
  CLI::App* list = app.add_subcommand(
      "list", "List what a config may name: tasks, policies (types and presets) or models (kinds)");
  list->add_option("what", flags->what, "tasks, policies or models")
      ->required()
      ->check(CLI::IsMember({"tasks", "policies", "models"}));
  list->add_option("--config,-c", flags->config,
                   "Also list the tasks folders, policies or models this config names");
  list->callback([flags] {
    std::optional<RunConfig> config;
    if (!flags->config.empty()) config = LoadRunConfig(flags->config);
    const RunConfig* c = config ? &*config : nullptr;
    if (flags->what == "tasks") ListTasksMain(c);
    if (flags->what == "policies") ListPoliciesMain(c);
    if (flags->what == "models") ListModelsMain(c);
  });
}

}  // namespace ctxbench
