# Reward-model engine tests (core/reward). LibTorch linked plainly, as for the model tests.
rd_add_test(test_scorer SOURCES unit/test_scorer.cpp LIBS rd_reward LABEL unit)
target_link_libraries(test_scorer PRIVATE torch)
