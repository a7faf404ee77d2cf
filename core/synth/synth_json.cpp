#include "synth/synth_json.h"

#include "common/error.h"

namespace rd::synth {

namespace {

using nlohmann::json;

[[noreturn]] void bad(const std::string& field, const std::string& why) {
    throw Error(ErrorKind::Format, "ShapeWorld JSON: field '" + field + "': " + why);
}

template <typename T, typename Parse>
T enumField(const json& j, const std::string& field, Parse parse) {
    if (!j.contains(field) || !j.at(field).is_string())
        bad(field, "missing or not a string");
    const auto value = parse(j.at(field).get<std::string>());
    if (!value)
        bad(field, "unknown value '" + j.at(field).get<std::string>() + "'");
    return *value;
}

double number(const json& j, const std::string& field) {
    if (!j.contains(field) || !j.at(field).is_number())
        bad(field, "missing or not a number");
    return j.at(field).get<double>();
}

} // namespace

json specToJson(const PromptSpec& spec, const PromptWording& wording) {
    json groups = json::array();
    for (const ObjectGroup& g : spec.groups) {
        json group = {{"shape", name(g.shape)}, {"count", g.count}};
        if (g.color)
            group["color"] = name(*g.color);
        groups.push_back(group);
    }
    json j = {
        {"category", name(spec.category)}, {"groups", groups}, {"template", wording.templateIndex}};
    if (spec.relation)
        j["relation"] = name(*spec.relation);
    if (spec.motion) {
        j["motion"] = name(*spec.motion);
        j["ood_motion_words"] = wording.oodMotionWords;
    }
    return j;
}

PromptSpec specFromJson(const json& j) {
    if (!j.is_object())
        bad("shapeworld", "not an object");
    PromptSpec spec;
    spec.category = enumField<Category>(j, "category", parseCategory);
    if (!j.contains("groups") || !j.at("groups").is_array())
        bad("groups", "missing or not an array");
    for (const json& g : j.at("groups")) {
        ObjectGroup group;
        group.shape = enumField<Shape>(g, "shape", parseShape);
        if (g.contains("color"))
            group.color = enumField<Color>(g, "color", parseColor);
        group.count = static_cast<int>(number(g, "count"));
        spec.groups.push_back(group);
    }
    if (j.contains("relation"))
        spec.relation = enumField<Relation>(j, "relation", [](const std::string& t) {
            for (Relation r : kRelations)
                if (t == name(r))
                    return std::optional<Relation>(r);
            return std::optional<Relation>();
        });
    if (j.contains("motion"))
        spec.motion = enumField<Direction>(j, "motion", parseDirection);
    try {
        validate(spec);
    } catch (const Error& e) {
        throw Error(ErrorKind::Format, std::string("ShapeWorld JSON: ") + e.what());
    }
    return spec;
}

json sceneToJson(const Scene& scene) {
    json objects = json::array();
    for (const SceneObject& o : scene.objects)
        objects.push_back({{"shape", name(o.shape)},
                           {"color", name(o.color)},
                           {"x", o.x},
                           {"y", o.y},
                           {"radius", o.radius},
                           {"rotation_deg", o.rotationDeg}});
    return {{"objects", objects},
            {"background_grey", scene.backgroundGrey},
            {"motion", {scene.motionDx, scene.motionDy}}};
}

Scene sceneFromJson(const json& j) {
    if (!j.is_object() || !j.contains("objects") || !j.at("objects").is_array())
        bad("objects", "missing or not an array");
    Scene scene;
    for (const json& o : j.at("objects")) {
        SceneObject object;
        object.shape = enumField<Shape>(o, "shape", parseShape);
        object.color = enumField<Color>(o, "color", parseColor);
        object.x = number(o, "x");
        object.y = number(o, "y");
        object.radius = number(o, "radius");
        object.rotationDeg = o.contains("rotation_deg") ? number(o, "rotation_deg") : 0.0;
        scene.objects.push_back(object);
    }
    scene.backgroundGrey = static_cast<int>(number(j, "background_grey"));
    if (j.contains("motion")) {
        const json& m = j.at("motion");
        if (!m.is_array() || m.size() != 2 || !m[0].is_number() || !m[1].is_number())
            bad("motion", "expected [dx, dy]");
        scene.motionDx = m[0].get<double>();
        scene.motionDy = m[1].get<double>();
    }
    return scene;
}

} // namespace rd::synth
