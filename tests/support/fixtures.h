// Test fixtures made by the tests themselves: scratch folders, small images, manifests.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace rd::test {

// A fresh folder under the system temp folder, removed when the object dies.
class ScratchDir {
public:
    ScratchDir();
    ~ScratchDir();
    ScratchDir(const ScratchDir&) = delete;
    ScratchDir& operator=(const ScratchDir&) = delete;
    const std::filesystem::path& path() const { return m_path; }
    std::filesystem::path operator/(const std::string& name) const { return m_path / name; }

private:
    std::filesystem::path m_path;
};

// Writes a width x height PNG (or JPEG, by extension) whose pixels depend on seed, so different
// seeds give different file content.
void writeImage(const std::filesystem::path& path, int seed, int width = 16, int height = 12);

void writeText(const std::filesystem::path& path, const std::string& text);

} // namespace rd::test
