# Learner benchmarks (bench/README.md, ## Learner) and the bundled-task
# headroom probe (docs/tasks.md).
add_executable(ctxbench_bench_learner ${CMAKE_CURRENT_LIST_DIR}/learner_bench.cc)
target_link_libraries(ctxbench_bench_learner PRIVATE ctxbench_lib ctxbench_warnings
  benchmark::benchmark)

add_executable(ctxbench_task_headroom ${CMAKE_CURRENT_LIST_DIR}/task_headroom.cc)
target_link_libraries(ctxbench_task_headroom PRIVATE ctxbench_lib ctxbench_warnings)
