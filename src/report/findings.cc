#include "report/findings.h"

#include <algorithm>
#include <cmath>
#include <set>

#include "report/aggregate.h"
#include "report/format.h"
#include "report/hypothesis_tests.h"

namespace ctxbench {

namespace {

std::string Where(const PairedComparison& c) { return c.key.policy + " (" + c.key.mode + ")"; }

std::string Fraction(double rate, int n) {
  return std::to_string(static_cast<int>(std::lround(rate * n))) + "/" + std::to_string(n);
}

std::string Points(double share) { return FormatSigned(100 * share, 0); }

// "3 of 12 finished episodes errored ...: toy (sim, agentic, full) 2, ...".
std::string ErrorsSentence(const RunData& run) {
  std::string groups;
  for (const GroupKey& k : GroupKeys(run)) {
    size_t n = GroupErrored(run, k).size();
    if (n == 0) continue;
    groups += (groups.empty() ? "" : ", ") + k.task + " (" + k.model + ", " + k.mode + ", " +
              k.policy + ") " + std::to_string(n);
  }
  return std::to_string(run.errored.size()) + " of " +
         std::to_string(run.episodes.size() + run.errored.size()) +
         " finished episodes errored and are left out of every statistic below: " + groups + ".";
}

// " Across tasks ...": the task-level test beside an established pair test.
std::string TaskLevel(double task_p, int tasks) {
  if (!std::isfinite(task_p)) return "";
  double smallest = std::min(1.0, 2.0 / std::ldexp(1.0, tasks));
  if (task_p < 0.05) return "; also with the task as the unit (" + PEquals(task_p) + ")";
  return "; not with the task as the unit (" + PEquals(task_p) + ", smallest possible with " +
         std::to_string(tasks) + " tasks " + FormatP(smallest) + ")";
}

// Pairs for 80% power at the family's level (Bonferroni α = 0.05 / tests,
// which Holm never asks for more than), from the observed paired differences.
std::string PowerHint(double mean, double sd, int pairs, int tasks, int tests) {
  double alpha = 0.05 / std::max(1, tests);
  int needed = PairsForPower(mean, sd, alpha);
  if (needed <= 0) return "no difference observed";
  int per_task = tasks > 0 ? (needed + tasks - 1) / tasks : needed;
  std::string level = "at α = 0.05/" + std::to_string(tests);
  if (needed <= pairs) {
    return "80% power " + level + " needs about " + std::to_string(needed) +
           " pairs, no more than ran: a chance result is not ruled out";
  }
  return "80% power " + level + " needs about " + std::to_string(needed) + " pairs (" +
         std::to_string(per_task) + " seeds per task)";
}

}  // namespace

TestFamily AdjustForMultipleTests(std::vector<PairedComparison>& pooled) {
  TestFamily f;
  std::vector<double> p;
  std::vector<size_t> owner;
  for (size_t i = 0; i < pooled.size(); ++i) {
    PairedComparison& c = pooled[i];
    for (size_t j = 0; j < i && c.same_as.empty(); ++j) {
      if (pooled[j].same_as.empty() && pooled[j].pairs > 0 &&
          pooled[j].fingerprint == c.fingerprint && pooled[j].key.model == c.key.model) {
        c.same_as = Where(pooled[j]);
      }
    }
    if (!c.same_as.empty()) {
      ++f.repeated;
      continue;
    }
    if (c.pairs == 0) continue;
    ++f.comparisons;
    for (double v : {c.success.p, c.headroom.p, c.tokens_ratio.p}) {
      p.push_back(std::isfinite(v) ? v : 1.0);
      owner.push_back(i);
    }
  }
  f.tests = static_cast<int>(p.size());
  std::vector<double> adj = HolmAdjust(p);
  for (size_t k = 0; k < adj.size(); k += 3) {
    PairedComparison& c = pooled[owner[k]];
    c.holm_success = adj[k];
    c.holm_headroom = adj[k + 1];
    c.holm_tokens = adj[k + 2];
  }
  for (PairedComparison& c : pooled) {  // a repeat carries its original's adjusted p
    if (c.same_as.empty()) continue;
    for (const PairedComparison& o : pooled) {
      if (Where(o) == c.same_as && o.key.model == c.key.model) {
        c.holm_success = o.holm_success;
        c.holm_headroom = o.holm_headroom;
        c.holm_tokens = o.holm_tokens;
      }
    }
  }
  return f;
}

std::vector<std::string> Established(const RunData& run,
                                     const std::vector<PairedComparison>& pooled,
                                     const TestFamily& family,
                                     const std::vector<PolicyRanking>& rankings,
                                     const std::string& control) {
  std::vector<std::string> out;
  if (!run.errored.empty()) out.push_back(ErrorsSentence(run));
  if (family.comparisons == 0) {
    out.push_back("No policy was compared with " + control +
                  ": the run has a single policy or no pair of complete episodes.");
    return out;
  }
  int tasks = 0;
  for (const PairedComparison& c : pooled) tasks = std::max(tasks, c.tasks);
  std::string s = "Tested: " + std::to_string(family.comparisons) +
                  (family.comparisons == 1 ? " comparison with " : " comparisons with ") + control +
                  " over task × seed pairs, " + std::to_string(family.tests) +
                  " tests (success: exact McNemar; share of headroom and tokens: exact "
                  "sign-flip), p-values Holm-adjusted across all " +
                  std::to_string(family.tests) + ".";
  if (family.repeated > 0) {
    s += " " + std::to_string(family.repeated) +
         " further comparisons repeat identical data and are counted once.";
  }
  if (tasks >= 2) {
    s += " The headline uses the pair tests: they speak for these " + std::to_string(tasks) +
         " tasks. The test with the task as the unit (sign-flip of per-task means) is given "
         "beside each claim; with " +
         std::to_string(tasks) + " tasks its smallest possible p is " +
         FormatP(std::min(1.0, 2.0 / std::ldexp(1.0, tasks))) + ".";
  }
  out.push_back(s);
  std::vector<std::string> shown, no_success, no_tokens;
  for (const PairedComparison& c : pooled) {
    if (!c.same_as.empty() || c.pairs == 0) continue;
    std::string who = Where(c);
    if (c.holm_success < 0.05) {
      shown.push_back(
          who +
          (c.success.diff > 0 ? " succeeded more often than " : " succeeded less often than ") +
          control + ": " + Fraction(c.success_rate, c.pairs) + " vs " +
          Fraction(c.control_success_rate, c.pairs) + ", Δ " + Points(c.success.diff) + " points " +
          FormatInterval({100 * c.success.ci.lo, 100 * c.success.ci.hi}, 0, true) + ", Holm " +
          PEquals(c.holm_success) + TaskLevel(c.success.task_p, c.tasks));
    } else {
      std::string item = who + " " + Points(c.success.diff) + " " +
                         FormatInterval({100 * c.success.ci.lo, 100 * c.success.ci.hi}, 0, true);
      if (c.success.ci.lo > -1 && c.success.diff >= 0) {
        item += ", rules out a loss over " + FormatFixed(-100 * c.success.ci.lo, 0) + " points";
      }
      int discordant = c.success.counts.only_policy + c.success.counts.only_control;
      item += discordant < 6
                  ? ", " + std::to_string(discordant) +
                        (discordant == 1 ? " discordant pair" : " discordant pairs") +
                        ": too few for any test to reach 5%"
                  : ", " + PowerHint(c.success.diff, c.success.sd, c.pairs, c.tasks, family.tests);
      no_success.push_back(item);
    }
    if (c.holm_headroom < 0.05) {
      shown.push_back(who + " reached " + FormatFixed(std::fabs(c.headroom.mean), 0) +
                      (c.headroom.mean < 0 ? " points less" : " points more") +
                      " of the tasks' headroom than " + control + " (Δ " +
                      FormatInterval(c.headroom.ci.ci, 0, true) + "), Holm " +
                      PEquals(c.holm_headroom) + TaskLevel(c.headroom.task_p, c.tasks));
    }
    if (c.holm_tokens < 0.05) {
      shown.push_back(who + " used " + FormatFixed(100 * c.tokens_ratio.ratio, 0) + "% of " +
                      control + "'s tokens " +
                      FormatInterval({100 * c.tokens_ratio.ci.lo, 100 * c.tokens_ratio.ci.hi}, 0) +
                      ", Holm " + PEquals(c.holm_tokens) +
                      TaskLevel(c.tokens_ratio.task_p, c.tasks));
    } else {
      no_tokens.push_back(who);
    }
  }
  if (shown.empty()) {
    out.push_back("Established: nothing; no difference from " + control +
                  " survives the Holm adjustment.");
  } else {
    std::string e = "Established (Holm p < 0.05): ";
    for (size_t i = 0; i < shown.size(); ++i) e += (i ? "; " : "") + shown[i];
    out.push_back(e + ".");
  }
  if (!no_success.empty()) {
    std::string n =
        "Not established, success vs " + control + " (Δ points, Newcombe 95% interval): ";
    for (size_t i = 0; i < no_success.size(); ++i) n += (i ? "; " : "") + no_success[i];
    out.push_back(n + ".");
  }
  if (!no_tokens.empty()) {
    std::string n = "No token difference from " + control + " established for: ";
    for (size_t i = 0; i < no_tokens.size(); ++i) n += (i ? ", " : "") + no_tokens[i];
    out.push_back(n + ".");
  }
  if (!rankings.empty()) {
    out.push_back(
        "A policy is dominated only where another policy's advantage in success or "
        "tokens is significant in a paired test at 5%, Holm-adjusted across the dominance "
        "tests of its model and mode; otherwise they are tied.");
  }
  for (const PolicyRanking& r : rankings) {
    std::string front;
    for (const RankedPolicy& p : r.rows) {
      if (p.non_dominated) front += (front.empty() ? "" : ", ") + p.policy;
    }
    out.push_back("Non-dominated in success and tokens (" + r.model + ", " + r.mode + "; " +
                  std::to_string(r.dominance_tests) +
                  (r.dominance_tests == 1 ? " dominance test" : " dominance tests") +
                  "): " + front + ".");
  }
  for (const std::string& same : IdenticalResults(run)) out.push_back(same);
  if (tasks >= 2) {
    out.push_back(
        "Pooling: improvement is pooled as the share of each task's headroom (from "
        "its baseline to the best validation metric any episode reached on it), so "
        "tasks with different metrics weigh alike; relative improvement % would "
        "weigh tasks with more headroom more. Per-task results are in the collapsed "
        "sections below.");
  }
  return out;
}

}  // namespace ctxbench
