# Tokenizers, chat templates and reward prompts (core/text).
rd_add_test(test_text_bpe SOURCES unit/test_text_bpe.cpp LIBS rd_text LABEL unit)
rd_add_test(test_text_trainer SOURCES unit/test_text_trainer.cpp LIBS rd_text LABEL unit)
# Trains a SentencePiece model with python3-sentencepiece (/usr/bin/python3) to compare against.
rd_add_test(test_text_sentencepiece SOURCES unit/test_text_sentencepiece.cpp LIBS rd_text
  LABEL unit)
rd_add_test(test_text_errors SOURCES unit/test_text_errors.cpp LIBS rd_text LABEL unit)
rd_add_test(test_text_prompts SOURCES unit/test_text_prompts.cpp LIBS rd_text LABEL unit)
# The command line, through real rdance processes.
rd_add_test(test_text_cli SOURCES unit/test_text_cli.cpp LIBS nlohmann_json::nlohmann_json
  LABEL integration)
target_compile_definitions(test_text_cli PRIVATE RDANCE_BIN="$<TARGET_FILE:rdance>")
add_dependencies(test_text_cli rdance)
