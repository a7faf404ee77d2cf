# ShapeWorld's tests (core/synth). Included from tests/CMakeLists.txt, which defines rd_add_test.
rd_add_test(test_synth_prompts SOURCES unit/test_synth_prompts.cpp LIBS rd_synth LABEL unit)
rd_add_test(test_synth_render SOURCES unit/test_synth_render.cpp LIBS rd_synth LABEL unit)
# ~15 s on two cores (1,000 prompts plus the blur/noise ladder): integration.
rd_add_test(test_synth_oracle SOURCES unit/test_synth_oracle.cpp LIBS rd_synth LABEL integration)
rd_add_test(test_synth_pairs SOURCES unit/test_synth_pairs.cpp LIBS rd_synth LABEL unit)
rd_add_test(test_synth_workspace SOURCES unit/test_synth_workspace.cpp LIBS rd_synth rd_store
  LABEL unit)

# The commands under real processes, the full demo included (~20 s): integration.
rd_add_test(test_synth_cli SOURCES unit/test_synth_cli.cpp LIBS rd_store
  nlohmann_json::nlohmann_json LABEL integration)
target_compile_definitions(test_synth_cli PRIVATE RDANCE_BIN="$<TARGET_FILE:rdance>")
add_dependencies(test_synth_cli rdance)
