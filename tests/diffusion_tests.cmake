# Generator tests (core/diffusion). LibTorch linked plainly, as for the model tests.
rd_add_test(test_flow_matching SOURCES unit/test_flow_matching.cpp LIBS rd_diffusion LABEL unit)
target_link_libraries(test_flow_matching PRIVATE torch)
rd_add_test(test_generator_training SOURCES unit/test_generator_training.cpp
  LIBS rd_diffusion_training rd_synth LABEL unit)
target_link_libraries(test_generator_training PRIVATE torch)
set_tests_properties(test_generator_training PROPERTIES ENVIRONMENT "QTEST_FUNCTION_TIMEOUT=1200000")
rd_add_test(test_refl SOURCES unit/test_refl.cpp LIBS rd_refl rd_synth LABEL unit)
target_link_libraries(test_refl PRIVATE torch)
set_tests_properties(test_refl PROPERTIES ENVIRONMENT "QTEST_FUNCTION_TIMEOUT=1200000")
