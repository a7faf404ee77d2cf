// ShapeWorld's closed vocabulary: shapes, colours, relations, motion directions, the GenEval
// categories and the splits, with their text forms and the palette the renderer draws with.
//
// Usage:
//   rd::synth::Shape s = *rd::synth::parseShape("circles");     // plural forms accepted
//   const char* word = rd::synth::name(rd::synth::Color::Red);  // "red"
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>

namespace rd::synth {

enum class Shape { Circle = 1, Square, Triangle, Star, Hexagon };
enum class Color { Red = 1, Green, Blue, Yellow, Purple, Orange, White, Black };
enum class Relation { LeftOf = 1, RightOf, Above, Below };
enum class Direction { LeftToRight = 1, RightToLeft, TopToBottom, BottomToTop };
// GenEval's six categories (the paper's Table 4 columns), stored by these names.
enum class Category { SingleObject = 1, TwoObjects, Counting, Colors, Position, ColorAttr };
// train, in-domain test ("id") and out-of-domain test ("ood"), as in the paper's Table 2.
enum class Split { Train = 1, Id, Ood };

constexpr std::array<Shape, 5> kShapes{Shape::Circle, Shape::Square, Shape::Triangle, Shape::Star,
                                       Shape::Hexagon};
constexpr std::array<Color, 8> kColors{Color::Red,    Color::Green,  Color::Blue,  Color::Yellow,
                                       Color::Purple, Color::Orange, Color::White, Color::Black};
constexpr std::array<Relation, 4> kRelations{Relation::LeftOf, Relation::RightOf, Relation::Above,
                                             Relation::Below};
constexpr std::array<Direction, 4> kDirections{Direction::LeftToRight, Direction::RightToLeft,
                                               Direction::TopToBottom, Direction::BottomToTop};
constexpr std::array<Category, 6> kCategories{Category::SingleObject, Category::TwoObjects,
                                              Category::Counting,     Category::Colors,
                                              Category::Position,     Category::ColorAttr};
constexpr std::array<Split, 3> kSplits{Split::Train, Split::Id, Split::Ood};

constexpr int kMaxCount = 6; // counting prompts ask for 1..6 objects

const char* name(Shape shape);                   // "circle"
const char* plural(Shape shape);                 // "circles"
const char* name(Color color);                   // "red"
const char* name(Relation relation);             // "left of", "right of", "above", "below"
const char* name(Direction direction);           // "left_to_right", ...
const char* directionWords(Direction direction); // "from left to right", ...
const char* name(Category category);             // "single_object", ..., "color_attr"
const char* name(Split split);                   // "train", "id", "ood"
const char* numberWord(int count);               // 1..6 -> "one".."six"; throws outside
std::string
countWord(int count); // what was counted: 0 -> "none", 1..6 -> "one".."six", else digits

std::optional<Shape> parseShape(const std::string& word); // singular or plural
std::optional<Color> parseColor(const std::string& word);
std::optional<Direction> parseDirection(const std::string& text);
std::optional<Category> parseCategory(const std::string& text);
std::optional<Split> parseSplit(const std::string& text);
std::optional<int> parseNumberWord(const std::string& word); // "one".."six" or "1".."6"

// The relation seen from the other object: left of <-> right of, above <-> below.
Relation inverse(Relation relation);
Direction reverse(Direction direction);

struct Rgb {
    std::uint8_t r = 0;
    std::uint8_t g = 0;
    std::uint8_t b = 0;
};

// Palette colours, chosen far apart in hue (chromatic ones) or in value (white, black) and away
// from the grey backgrounds, so the oracle can tell them apart from pixels.
Rgb paletteRgb(Color color);

} // namespace rd::synth
