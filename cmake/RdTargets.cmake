# Helpers shared by every target of ours: warnings, sanitizers and the LibTorch precompiled header.

function(rd_configure_target target)
  target_compile_options(${target} PRIVATE -Wall -Wextra)
  if(RD_SANITIZE)
    target_compile_options(${target} PRIVATE -fsanitize=address,undefined -fno-omit-frame-pointer)
    target_link_options(${target} PRIVATE -fsanitize=address,undefined)
  endif()
endfunction()

# rd_add_library(name SOURCES... [DEPS ...]): a static core library whose headers are included as
# "<folder>/<file>.h" from the core/ root.
function(rd_add_library name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  add_library(${name} STATIC ${ARG_SOURCES})
  target_include_directories(${name} PUBLIC ${PROJECT_SOURCE_DIR}/core)
  target_link_libraries(${name} PUBLIC ${ARG_DEPS})
  rd_configure_target(${name})
endfunction()

# One precompiled <torch/torch.h> shared by every target that includes it: parsing the LibTorch
# headers costs ~20 s per translation unit on the 2-core machines otherwise.
function(rd_use_torch target)
  target_link_libraries(${target} PUBLIC torch)
  if(NOT TARGET rd_torch_pch)
    message(FATAL_ERROR "rd_torch_pch must be defined before rd_use_torch(${target})")
  endif()
  target_precompile_headers(${target} REUSE_FROM rd_torch_pch)
endfunction()
