# Model engine tests (core/model). Qt's -fPIE differs from the shared LibTorch PCH's flags, so these
# link LibTorch plainly (as test_image_tensor does).
function(rd_add_model_test name)
  rd_add_test(${name} SOURCES unit/${name}.cpp LIBS rd_model LABEL unit)
  target_link_libraries(${name} PRIVATE torch)
endfunction()

rd_add_model_test(test_safetensors)
rd_add_model_test(test_safetensors_fuzz)
rd_add_model_test(test_safetensors_checkpoint)
rd_add_model_test(test_safetensors_python)
rd_add_model_test(test_vlm)
rd_add_model_test(test_model_checkpoint)
target_compile_definitions(test_model_checkpoint PRIVATE RD_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
