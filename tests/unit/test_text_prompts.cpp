// Chat templates of the InternVL2 sizes, image placeholders, the reward model's prompts (pairwise,
// pointwise, ablations, video) and tokenizing with image-context expansion.
#include "common/error.h"
#include "text/bpe_trainer.h"
#include "text/byte_level_bpe_tokenizer.h"
#include "text/chat_template.h"
#include "text/image_tokens.h"
#include "text/prompt_encoder.h"
#include "text/reward_prompt.h"

#include <QtTest>

#include <algorithm>

using namespace rd;
using namespace rd::text;
using Ids = std::vector<int32_t>;

namespace {

std::unique_ptr<ByteLevelBpeTokenizer> smallTokenizer() {
    BpeTrainerOptions options;
    options.vocabSize = 400;
    BpeTrainer trainer(options);
    for (int i = 0; i < 50; ++i)
        trainer.addText("Image-1: a red circle. Image-2: a blue star. Is image 2 better than "
                        "image 1? Please answer yes or no.\n");
    return std::make_unique<ByteLevelBpeTokenizer>(trainer.train());
}

} // namespace

class TestTextPrompts : public QObject {
    Q_OBJECT

private slots:
    void chatTemplatesMatchInternVL() {
        QCOMPARE(renderChat(ChatFormat::Hermes2, "SYS", "Q"),
                 std::string("<|im_start|>system\nSYS<|im_end|><|im_start|>user\nQ<|im_end|>"
                             "<|im_start|>assistant\n"));
        QCOMPARE(renderChat(ChatFormat::InternLm2Chat, "SYS", "Q"),
                 renderChat(ChatFormat::Hermes2, "SYS", "Q"));
        QCOMPARE(renderChat(ChatFormat::Phi3Chat, "SYS", "Q"),
                 std::string("<|system|>\nSYS<|end|><|user|>\nQ<|end|><|assistant|>\n"));
        QCOMPARE(endOfTurn(ChatFormat::Hermes2), std::string("<|im_end|>"));
        QCOMPARE(endOfTurn(ChatFormat::Phi3Chat), std::string("<|end|>"));
    }

    void formatsByNameAndSize() {
        QCOMPARE(chatFormatForInternVL2("1b"), ChatFormat::Hermes2);
        QCOMPARE(chatFormatForInternVL2("InternVL2-2B"), ChatFormat::InternLm2Chat);
        QCOMPARE(chatFormatForInternVL2("4b"), ChatFormat::Phi3Chat);
        QCOMPARE(chatFormatForInternVL2("8B"), ChatFormat::InternLm2Chat);
        QCOMPARE(chatFormatForInternVL2("26b"), ChatFormat::InternLm2Chat);
        QVERIFY_THROWS_EXCEPTION(Error, chatFormatForInternVL2("40b"));
        for (ChatFormat f : {ChatFormat::Hermes2, ChatFormat::InternLm2Chat, ChatFormat::Phi3Chat})
            QCOMPARE(chatFormatByName(chatFormatName(f)), f);
        QVERIFY_THROWS_EXCEPTION(Error, chatFormatByName("llama"));
    }

    void imagePrefixes() {
        QCOMPARE(imagesPrefix(0), std::string());
        QCOMPARE(imagesPrefix(1), std::string("<image>\n"));
        QCOMPARE(imagesPrefix(2), std::string("Image-1: <image>\nImage-2: <image>\n"));
        QCOMPARE(videoFramesPrefix(3),
                 std::string("Frame1: <image>\nFrame2: <image>\nFrame3: <image>\n"));
        QCOMPARE(countImagePlaceholders(videoFramesPrefix(8)), size_t(8));
    }

    void placeholderExpansion() {
        const std::string expanded = expandImagePlaceholders("A<image>B<image>C", {2, 1}, 3);
        std::string expected = "A<img>";
        for (int k = 0; k < 6; ++k) // 2 tiles x 3 tokens
            expected += "<IMG_CONTEXT>";
        expected += "</img>B<img><IMG_CONTEXT><IMG_CONTEXT><IMG_CONTEXT></img>C";
        QCOMPARE(expanded, expected);
        QVERIFY_THROWS_EXCEPTION(Error, expandImagePlaceholders("<image>", {1, 1}));
        QVERIFY_THROWS_EXCEPTION(Error, expandImagePlaceholders("<image>", {0}));
    }

    void pairwiseRewardPrompt() {
        const RewardPrompt p = buildRewardPrompt("two red circles", RewardPromptOptions{});
        QCOMPARE(p.mode, RewardMode::Pairwise);
        QCOMPARE(p.placeholders, 2);
        // Figure 4's instruction and question.
        QVERIFY(p.system.rfind("You will act as a professional image quality evaluator.", 0) == 0);
        QVERIFY(p.system.find("(1) Object consistency") != std::string::npos);
        QCOMPARE(p.user, std::string("Image-1: <image>\nImage-2: <image>\nPrompt: two red circles\n"
                                     "Is image 2 better than image 1? Please answer \"yes\" or "
                                     "\"no\", and give the detailed reason."));
        const std::string chat = renderChat(ChatFormat::Hermes2, p.system, p.user);
        QCOMPARE(countImagePlaceholders(chat), size_t(2));
        QVERIFY(chat.rfind("<|im_start|>system\nYou will act", 0) == 0);
    }

    void rewardPromptAblations() {
        RewardPromptOptions noInstruction;
        noInstruction.withInstruction = false;
        const RewardPrompt bare = buildRewardPrompt("a star", noInstruction);
        QCOMPARE(bare.system, std::string());
        QCOMPARE(bare.placeholders, 2);

        RewardPromptOptions noReference;
        noReference.withReference = false;
        const RewardPrompt single = buildRewardPrompt("a star", noReference);
        QCOMPARE(single.mode, RewardMode::Pointwise);
        QCOMPARE(single.placeholders, 1);
        QVERIFY(single.user.rfind("<image>\nPrompt: a star\nIs this image", 0) == 0);
        QVERIFY(single.system.find("given one image") != std::string::npos);

        RewardPromptOptions pointwise;
        pointwise.mode = RewardMode::Pointwise;
        QCOMPARE(buildRewardPrompt("a star", pointwise).user, single.user);

        RewardPromptOptions promptFirst;
        promptFirst.promptFirst = true;
        QCOMPARE(buildRewardPrompt("a star", promptFirst).user,
                 std::string("Prompt: a star\nImage-1: <image>\nImage-2: <image>\n"
                             "Is image 2 better than image 1? Please answer \"yes\" or "
                             "\"no\", and give the detailed reason."));
        promptFirst.withReference = false;
        QVERIFY(buildRewardPrompt("a star", promptFirst)
                    .user.rfind("Prompt: a star\n<image>\nIs this image", 0) == 0);

        RewardPromptOptions custom;
        custom.instruction = "Judge counting only.";
        custom.question = "Better?";
        const RewardPrompt c = buildRewardPrompt("3 stars", custom);
        QCOMPARE(c.system, std::string("Judge counting only."));
        QVERIFY(c.user.size() > 7 && c.user.compare(c.user.size() - 7, 7, "Better?") == 0);
    }

    void videoRewardPrompt() {
        RewardPromptOptions video;
        video.videoFrames = 4;
        const RewardPrompt p = buildRewardPrompt("a ball rolls", video);
        QCOMPARE(p.placeholders, 8);
        QCOMPARE(countImagePlaceholders(p.user), size_t(8));
        QVERIFY(p.user.rfind("Video-1:\nFrame1: <image>\n", 0) == 0);
        QVERIFY(p.user.find("Video-2:\nFrame1: <image>\n") != std::string::npos);
        QVERIFY(p.user.find("Is video 2 better than video 1?") != std::string::npos);
        video.mode = RewardMode::Pointwise;
        QCOMPARE(buildRewardPrompt("a ball rolls", video).placeholders, 4);
    }

    void answers() {
        QCOMPARE(rewardAnswer(Verdict::Yes, "Image 2 has three.", AnswerOrder::DecisionFirst),
                 std::string("yes. Image 2 has three."));
        QCOMPARE(rewardAnswer(Verdict::No, "Image 2 has two.", AnswerOrder::ReasoningFirst),
                 std::string("Image 2 has two. Answer: no"));
        QCOMPARE(rewardAnswer(Verdict::No, "", AnswerOrder::ReasoningFirst), std::string("no"));
    }

    void encodeWithImagesExpandsContext() {
        const auto tok = smallTokenizer();
        const RewardPrompt p = buildRewardPrompt("a red circle", RewardPromptOptions{});
        const std::string chat = renderChat(ChatFormat::Hermes2, p.system, p.user);
        const std::vector<int> tiles = {7, 1};
        const EncodedPrompt encoded = encodeWithImages(*tok, chat, tiles, AddSpecial::Yes, 16);
        // Identical to tokenizing the fully expanded text.
        QCOMPARE(encoded.ids,
                 tok->encode(expandImagePlaceholders(chat, tiles, 16), AddSpecial::Yes));
        QCOMPARE(encoded.imageContextPositions.size(), size_t(8 * 16));
        const int32_t context = *tok->tokenToId(kImageContext);
        const int32_t start = *tok->tokenToId(kImageStart), end = *tok->tokenToId(kImageEnd);
        for (int64_t position : encoded.imageContextPositions)
            QCOMPARE(encoded.ids[position], context);
        QCOMPARE(std::count(encoded.ids.begin(), encoded.ids.end(), context), long(8 * 16));
        // Image 1's 7 x 16 run sits right after its <img>, then </img>.
        const int64_t first = encoded.imageContextPositions.front();
        QCOMPARE(encoded.ids[first - 1], start);
        QCOMPARE(encoded.ids[first + 7 * 16], end);
        QCOMPARE(encoded.imageContextPositions[7 * 16 - 1], first + 7 * 16 - 1);
        QCOMPARE(encoded.ids.back(), *tok->tokenToId("Ċ")); // the "\n" of "assistant\n"

        QVERIFY_THROWS_EXCEPTION(Error, encodeWithImages(*tok, chat, {1}, AddSpecial::Yes));
        QVERIFY_THROWS_EXCEPTION(
            Error, encodeWithImages(*tok, "<IMG_CONTEXT><image>", {1}, AddSpecial::Yes));
    }
};

QTEST_APPLESS_MAIN(TestTextPrompts)
#include "test_text_prompts.moc"
