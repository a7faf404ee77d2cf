#include "synth/prompt_writer.h"

#include "common/error.h"

#include <array>
#include <vector>

namespace rd::synth {

namespace {

struct Template {
    const char* text;
    bool oodOnly;
};

// Placeholders: {np0}/{np1} noun phrases ("a red circle", "three circles"); {npd0} with digits
// ("3 circles"); {art0} {shape0} {color0} (and 1) the parts; {rel} the relation in training
// words, {relx} in out-of-domain words. Template 0 is GenEval's phrasing in every category.
const std::vector<Template>& templates(Category category) {
    static const std::array<std::vector<Template>, 6> kTemplates{{
        // single_object
        {{"a photo of {np0}", false},
         {"{np0}", false},
         {"an image of {np0}", false},
         {"{np0} on a plain background", false},
         {"a picture showing {np0}", true},
         {"somewhere in the frame there is {np0}", true}},
        // two_objects
        {{"a photo of {np0} and {np1}", false},
         {"{np0} and {np1}", false},
         {"{np0} together with {np1}", false},
         {"both {np0} and {np1}", true},
         {"{np0} as well as {np1}", true}},
        // counting
        {{"a photo of {np0}", false},
         {"{np0}", false},
         {"an image with {np0}", false},
         {"exactly {npd0}", true},
         {"a picture containing {npd0}", true}},
        // colors
        {{"a photo of {np0}", false},
         {"{np0}", false},
         {"an image of {np0}", false},
         {"{art0} {shape0} in {color0}", true},
         {"{art0} {shape0} painted {color0}", true}},
        // position
        {{"a photo of {np0} {rel} {np1}", false},
         {"{np0} {rel} {np1}", false},
         {"{np0} placed {rel} {np1}", false},
         {"{np0} {relx} {np1}", true},
         {"{np0} sitting {relx} {np1}", true}},
        // color_attr
        {{"a photo of {np0} and {np1}", false},
         {"{np0} and {np1}", false},
         {"{np0} with {np1}", false},
         {"{art0} {shape0} in {color0} and {art1} {shape1} in {color1}", true},
         {"{np0} plus {np1}", true}},
    }};
    return kTemplates[static_cast<size_t>(category) - 1];
}

const char* oodRelationWords(Relation relation) {
    switch (relation) {
    case Relation::LeftOf:
        return "to the left of";
    case Relation::RightOf:
        return "to the right of";
    case Relation::Above:
        return "over";
    case Relation::Below:
        return "under";
    }
    return "";
}

const char* motionWords(Direction direction, bool ood) {
    switch (direction) {
    case Direction::LeftToRight:
        return ood ? "drifting rightwards" : "moving from left to right";
    case Direction::RightToLeft:
        return ood ? "drifting leftwards" : "moving from right to left";
    case Direction::TopToBottom:
        return ood ? "drifting downwards" : "moving from top to bottom";
    case Direction::BottomToTop:
        return ood ? "drifting upwards" : "moving from bottom to top";
    }
    return "";
}

std::string article(const std::string& nextWord) {
    const char c = nextWord.empty() ? 'x' : nextWord[0];
    return (c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u') ? "an" : "a";
}

void replaceAll(std::string& text, const std::string& key, const std::string& value) {
    for (size_t at = text.find(key); at != std::string::npos; at = text.find(key, at)) {
        text.replace(at, key.size(), value);
        at += value.size();
    }
}

std::string digitsPhrase(const ObjectGroup& g) {
    std::string words = g.color ? std::string(name(*g.color)) + " " : std::string();
    return std::to_string(g.count) + " " + words + (g.count == 1 ? name(g.shape) : plural(g.shape));
}

} // namespace

int templateCount(Category category) {
    return static_cast<int>(templates(category).size());
}

bool isOodTemplate(Category category, int templateIndex) {
    const auto& list = templates(category);
    if (templateIndex < 0 || templateIndex >= static_cast<int>(list.size()))
        throw Error(ErrorKind::InvalidArgument, std::string("no prompt template ") +
                                                    std::to_string(templateIndex) + " for " +
                                                    name(category));
    return list[static_cast<size_t>(templateIndex)].oodOnly;
}

bool isOodWording(const PromptSpec& spec, const PromptWording& wording) {
    return isOodTemplate(spec.category, wording.templateIndex) ||
           (spec.motion && wording.oodMotionWords);
}

std::string nounPhrase(const ObjectGroup& g, bool withNumberWord) {
    const std::string shapeWord = g.count == 1 ? name(g.shape) : plural(g.shape);
    const std::string body = g.color ? std::string(name(*g.color)) + " " + shapeWord : shapeWord;
    if (withNumberWord)
        return std::string(numberWord(g.count)) + " " + body;
    return article(body) + " " + body;
}

std::string writePrompt(const PromptSpec& spec, const PromptWording& wording) {
    validate(spec);
    isOodTemplate(spec.category, wording.templateIndex); // checks the index
    std::string text = templates(spec.category)[static_cast<size_t>(wording.templateIndex)].text;
    const bool counting = spec.category == Category::Counting;
    for (size_t i = 0; i < spec.groups.size(); ++i) {
        const ObjectGroup& g = spec.groups[i];
        const std::string n = std::to_string(i);
        replaceAll(text, "{np" + n + "}", nounPhrase(g, counting));
        replaceAll(text, "{npd" + n + "}", digitsPhrase(g));
        replaceAll(text, "{art" + n + "}", article(name(g.shape)));
        replaceAll(text, "{shape" + n + "}", name(g.shape));
        replaceAll(text, "{color" + n + "}", g.color ? name(*g.color) : "");
    }
    if (spec.relation) {
        replaceAll(text, "{relx}", oodRelationWords(*spec.relation));
        replaceAll(text, "{rel}", name(*spec.relation));
    }
    if (spec.motion)
        text += std::string(" ") + motionWords(*spec.motion, wording.oodMotionWords);
    if (text.find('{') != std::string::npos)
        throw Error(ErrorKind::Internal, "prompt template left unfilled: " + text);
    return text;
}

} // namespace rd::synth
