// Runs the `last_turns` policy (last_turns_policy.h) on a synthetic episode
// log next to the built-in `window` policy and prints what each kept.
#include <cstdio>

#include "last_turns_policy.h"

int main() { return consumer::CompareWithWindowOnSyntheticLog(2000, stdout) ? 0 : 1; }
