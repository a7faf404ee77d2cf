# Reward-model engine tests (core/reward). LibTorch linked plainly, as for the model tests.
rd_add_test(test_scorer SOURCES unit/test_scorer.cpp LIBS rd_reward LABEL unit)
target_link_libraries(test_scorer PRIVATE torch)
rd_add_test(test_rm_losses SOURCES unit/test_rm_losses.cpp LIBS rd_reward_training LABEL unit)
target_link_libraries(test_rm_losses PRIVATE torch)
rd_add_test(test_rm_training SOURCES unit/test_rm_training.cpp LIBS rd_reward_training
  LABEL unit)
target_link_libraries(test_rm_training PRIVATE torch)
rd_add_test(test_rm_grounding_training SOURCES unit/test_rm_grounding_training.cpp
  LIBS rd_reward_training LABEL unit)
target_link_libraries(test_rm_grounding_training PRIVATE torch)
rd_add_test(test_grounding_stream SOURCES unit/test_grounding_stream.cpp LIBS rd_reward_training
  LABEL unit)
target_link_libraries(test_grounding_stream PRIVATE torch)
rd_add_test(test_rm_human_labels SOURCES unit/test_rm_human_labels.cpp
  LIBS rd_reward_training rd_label LABEL unit)
target_link_libraries(test_rm_human_labels PRIVATE torch)
# The training harness the RM, generator and ReFL trainers share (core/training).
rd_add_test(test_training_run SOURCES unit/test_training_run.cpp LIBS rd_training LABEL unit)
target_link_libraries(test_training_run PRIVATE torch)
# Training is slow on a busy 2-core machine: allow more than Qt Test's 5 minutes per function.
set_tests_properties(test_rm_training test_rm_grounding_training PROPERTIES
  ENVIRONMENT "QTEST_FUNCTION_TIMEOUT=1200000")
