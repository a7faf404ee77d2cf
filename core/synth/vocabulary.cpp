#include "synth/vocabulary.h"

#include "common/error.h"

namespace rd::synth {

namespace {

// Enums start at 1: index = value - 1.
template <typename Enum, size_t N> const char* nameOf(Enum value, const char* const (&names)[N]) {
    const auto index = static_cast<size_t>(value) - 1;
    if (index >= N)
        throw Error(ErrorKind::Internal, "ShapeWorld: enum value out of range");
    return names[index];
}

template <typename Enum, size_t N>
std::optional<Enum> parseName(const std::string& text, const char* const (&names)[N]) {
    for (size_t i = 0; i < N; ++i)
        if (text == names[i])
            return static_cast<Enum>(i + 1);
    return std::nullopt;
}

const char* const kShapeNames[] = {"circle", "square", "triangle", "star", "hexagon"};
const char* const kShapePlurals[] = {"circles", "squares", "triangles", "stars", "hexagons"};
const char* const kColorNames[] = {"red",    "green",  "blue",  "yellow",
                                   "purple", "orange", "white", "black"};
const char* const kRelationNames[] = {"left of", "right of", "above", "below"};
const char* const kDirectionNames[] = {"left_to_right", "right_to_left", "top_to_bottom",
                                       "bottom_to_top"};
const char* const kDirectionWords[] = {"from left to right", "from right to left",
                                       "from top to bottom", "from bottom to top"};
const char* const kCategoryNames[] = {"single_object", "two_objects", "counting",
                                      "colors",        "position",    "color_attr"};
const char* const kSplitNames[] = {"train", "id", "ood"};
const char* const kNumberWords[] = {"one", "two", "three", "four", "five", "six"};
const char* const kDigits[] = {"1", "2", "3", "4", "5", "6"};

// Hues (HSV degrees): red 0, orange 29, yellow 52, green 133, blue 224, purple 276.
const Rgb kPalette[] = {{220, 30, 30},  {30, 170, 60},  {40, 90, 230},   {240, 210, 20},
                        {150, 60, 210}, {250, 130, 20}, {245, 245, 245}, {20, 20, 20}};

} // namespace

const char* name(Shape v) {
    return nameOf(v, kShapeNames);
}
const char* plural(Shape v) {
    return nameOf(v, kShapePlurals);
}
const char* name(Color v) {
    return nameOf(v, kColorNames);
}
const char* name(Relation v) {
    return nameOf(v, kRelationNames);
}
const char* name(Direction v) {
    return nameOf(v, kDirectionNames);
}
const char* directionWords(Direction v) {
    return nameOf(v, kDirectionWords);
}
const char* name(Category v) {
    return nameOf(v, kCategoryNames);
}
const char* name(Split v) {
    return nameOf(v, kSplitNames);
}

const char* numberWord(int count) {
    if (count < 1 || count > kMaxCount)
        throw Error(ErrorKind::InvalidArgument, "ShapeWorld counts are 1.." +
                                                    std::to_string(kMaxCount) + ", not " +
                                                    std::to_string(count));
    return kNumberWords[count - 1];
}

std::string countWord(int count) {
    if (count == 0)
        return "none";
    return count >= 1 && count <= kMaxCount ? numberWord(count) : std::to_string(count);
}

std::optional<Shape> parseShape(const std::string& word) {
    if (auto s = parseName<Shape>(word, kShapeNames))
        return s;
    return parseName<Shape>(word, kShapePlurals);
}

std::optional<Color> parseColor(const std::string& word) {
    return parseName<Color>(word, kColorNames);
}
std::optional<Direction> parseDirection(const std::string& text) {
    return parseName<Direction>(text, kDirectionNames);
}
std::optional<Category> parseCategory(const std::string& text) {
    return parseName<Category>(text, kCategoryNames);
}
std::optional<Split> parseSplit(const std::string& text) {
    return parseName<Split>(text, kSplitNames);
}

std::optional<int> parseNumberWord(const std::string& word) {
    for (int i = 0; i < kMaxCount; ++i)
        if (word == kNumberWords[i] || word == kDigits[i])
            return i + 1;
    return std::nullopt;
}

Relation inverse(Relation relation) {
    switch (relation) {
    case Relation::LeftOf:
        return Relation::RightOf;
    case Relation::RightOf:
        return Relation::LeftOf;
    case Relation::Above:
        return Relation::Below;
    case Relation::Below:
        return Relation::Above;
    }
    throw Error(ErrorKind::Internal, "ShapeWorld: unknown relation");
}

Direction reverse(Direction direction) {
    switch (direction) {
    case Direction::LeftToRight:
        return Direction::RightToLeft;
    case Direction::RightToLeft:
        return Direction::LeftToRight;
    case Direction::TopToBottom:
        return Direction::BottomToTop;
    case Direction::BottomToTop:
        return Direction::TopToBottom;
    }
    throw Error(ErrorKind::Internal, "ShapeWorld: unknown direction");
}

Rgb paletteRgb(Color color) {
    return kPalette[static_cast<size_t>(color) - 1];
}

} // namespace rd::synth
