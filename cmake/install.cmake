# Install rules, the find_package(ctxbench) config and the Debian package.
#   cmake --install build --prefix P   ->  P/bin/ctxbench, P/share/ctxbench/{tasks,
#     configs,config.json,third_party/rank_files}, P/include/ctxbench/, P/lib/...
#   cd build && cpack -G DEB           ->  ctxbench_<version>_<arch>.deb
# The binary finds its data at <bin>/../share/ctxbench (core/share_dir.h), so
# the data folder is fixed relative to the binary: keep CMAKE_INSTALL_DATADIR
# and CMAKE_INSTALL_BINDIR at their defaults.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set(ctxbench_share ${CMAKE_INSTALL_DATADIR}/ctxbench)
install(TARGETS ctxbench RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(DIRECTORY tasks configs DESTINATION ${ctxbench_share} USE_SOURCE_PERMISSIONS
  PATTERN __pycache__ EXCLUDE)
install(FILES config.json DESTINATION ${ctxbench_share})
set(ctxbench_rank_dir ${CMAKE_CURRENT_SOURCE_DIR}/third_party/rank_files)
if(NOT EXISTS ${ctxbench_rank_dir}/o200k_base.tiktoken)
  message(WARNING "No rank files in ${ctxbench_rank_dir}: run scripts/fetch-rank-files.sh "
    "before `cmake --install` or `cpack` (the installed binary needs them to count tokens)")
endif()
install(FILES ${ctxbench_rank_dir}/cl100k_base.tiktoken ${ctxbench_rank_dir}/o200k_base.tiktoken
  DESTINATION ${ctxbench_share}/third_party/rank_files)

# The library for find_package(ctxbench): headers keep their src/ paths
# ("context/policy.h") under include/ctxbench/.
install(DIRECTORY src/ DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/ctxbench
  FILES_MATCHING PATTERN "*.h" PATTERN "*_test.h" EXCLUDE PATTERN "fake_*.h" EXCLUDE)
install(TARGETS ${CTXBENCH_LIBRARY_TARGETS} xgboost_c EXPORT ctxbenchTargets
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
  INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/ctxbench)
set(ctxbench_cmake_dir ${CMAKE_INSTALL_LIBDIR}/cmake/ctxbench)
install(EXPORT ctxbenchTargets NAMESPACE ctxbench:: DESTINATION ${ctxbench_cmake_dir})
configure_package_config_file(cmake/ctxbenchConfig.cmake.in
  ${CMAKE_CURRENT_BINARY_DIR}/ctxbenchConfig.cmake INSTALL_DESTINATION ${ctxbench_cmake_dir})
write_basic_package_version_file(${CMAKE_CURRENT_BINARY_DIR}/ctxbenchConfigVersion.cmake
  COMPATIBILITY SameMinorVersion)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/ctxbenchConfig.cmake
  ${CMAKE_CURRENT_BINARY_DIR}/ctxbenchConfigVersion.cmake DESTINATION ${ctxbench_cmake_dir})

set(CPACK_PACKAGE_NAME ctxbench)
set(CPACK_PACKAGE_VENDOR ctxbench)
set(CPACK_PACKAGE_CONTACT "ctxbench maintainers <ctxbench@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
  "Harness measuring how context policies shape LLM agents running ML experiments")
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION science)
# Depends comes from dpkg-shlibdeps on the binary (libxgboost0, libsqlite3-0,
# libcurl4, libpcre2-8-0, ...); what it runs rather than links is recommended:
# workspace tasks need bubblewrap and Python with scikit-learn and pandas.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "bubblewrap, python3, python3-sklearn, python3-pandas")
include(CPack)
