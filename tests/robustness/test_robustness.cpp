// The permanent bad-input sweep (issue "Hardening"): every command meets a corpus of bad inputs
// (cases.json, the files in corpus/ and the broken models and clips the fixture makes) and must
// answer as the README promises: exit 1, a message that names the file and the fault, no crash,
// bounded memory, and nothing left behind (every file under the scratch folder, the workspace
// database included, byte for byte as before). The findings of the sweep that have no refusal to
// check (a read-only workspace, export -> import, a truncated clip's probe) have their own tests.
#include "bad_models.h"
#include "fixtures.h"
#include "measured_process.h"
#include "store/run_locks.h"
#include "store/run_repository.h"
#include "store/sqlite_db.h"
#include "store/workspace.h"
#include "video_fixtures.h"

#include <nlohmann/json.hpp>

#include <QtTest>

#include <algorithm>
#include <fstream>
#include <map>
#include <sstream>
#include <unistd.h>

using namespace rd;
namespace fs = std::filesystem;

namespace {

// A refusal on these inputs needs far less; the sweep found 10 GB for `media frames --count`.
constexpr long kMaxRssKiB = 1536L * 1024;

std::string readBytes(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    std::ostringstream bytes;
    bytes << in.rdbuf();
    return bytes.str();
}

// Every file and folder under root: path -> content (folders map to "<dir>"). SQLite's -wal and
// -shm files come and go with connections and hold no committed change of their own.
std::map<std::string, std::string> snapshot(const fs::path& root) {
    std::map<std::string, std::string> files;
    for (const auto& entry : fs::recursive_directory_iterator(root)) {
        const std::string name = entry.path().lexically_relative(root).string();
        if (name.size() > 4 &&
            (name.substr(name.size() - 4) == "-wal" || name.substr(name.size() - 4) == "-shm"))
            continue;
        files[name] = entry.is_directory() ? "<dir>" : readBytes(entry.path());
    }
    return files;
}

std::string differences(const std::map<std::string, std::string>& before,
                        const std::map<std::string, std::string>& after) {
    std::string text;
    for (const auto& [name, content] : after) {
        const auto old = before.find(name);
        if (old == before.end())
            text += " left behind: " + name + ";";
        else if (old->second != content)
            text += " changed: " + name + ";";
    }
    for (const auto& [name, content] : before)
        if (!after.count(name))
            text += " removed: " + name + ";";
    return text;
}

std::string run(const std::vector<std::string>& args) {
    const test::MeasuredRun r = test::runMeasured(RDANCE_BIN, args, std::chrono::seconds(300));
    if (r.exitCode != 0)
        throw std::runtime_error("fixture command failed: " + args[0] + ": " + r.err);
    return r.out;
}

} // namespace

class TestRobustness : public QObject {
    Q_OBJECT

    test::ScratchDir m_dir;
    std::map<std::string, std::string> m_vars;

    fs::path scratch() const { return m_dir.path() / "s"; }
    fs::path ws() const { return scratch() / "ws"; }

    std::string expand(std::string text) const {
        for (const auto& [key, value] : m_vars)
            for (std::size_t at; (at = text.find(key)) != std::string::npos;)
                text.replace(at, key.size(), value);
        return text;
    }

    // The workspace the commands meet: ShapeWorld prompts and pairs in train and id, a tiny
    // trained RM and generator, and beside it the bad workspaces, media and models.
    void buildFixture() {
        const fs::path s = scratch();
        fs::create_directories(s);
        m_vars = {{"{scratch}", s.string()},
                  {"{ws}", ws().string()},
                  {"{corpus}", (s / "corpus").string()}};
        fs::copy(ROBUSTNESS_DIR "/corpus", s / "corpus");
        for (int i = 0; i < 4; ++i)
            test::writeImage(s / "img" / (std::to_string(i) + ".png"), 500 + i, 64, 64);
        run({"init", ws().string()});
        run({"synth", ws().string(), "--prompts", "6", "--split", "train", "--seed", "3",
             "--threads", "1"});
        run({"synth", ws().string(), "--prompts", "2", "--split", "id", "--seed", "4", "--threads",
             "1"});
        test::writeText(s / "rm.json", R"({"preset": "rd-xs", "out": "models/rm", "steps": 2,
            "batch": 2, "eval_every": 0, "with_instruction": false})");
        run({"rm", "train", ws().string(), "--config", (s / "rm.json").string()});
        test::writeText(s / "gen.json", R"({"preset": "gen-xs", "out": "models/gen", "steps": 1,
            "batch": 2, "eval_every": 0})");
        run({"gen", "train", ws().string(), "--config", (s / "gen.json").string()});
        test::writeText(ws() / "models" / "afile", "not a folder\n");
        test::writeBadModels(ws() / "models" / "rm", s / "bad");

        fs::create_directories(s / "outdir");
        fs::create_directories(s / "emptydbws");
        test::writeText(s / "emptydbws" / "workspace.db", "");
        fs::copy(ws(), s / "negws", fs::copy_options::recursive);
        {
            store::Database db(s / "negws" / "workspace.db",
                               store::Database::OpenMode::OpenExisting);
            db.exec("PRAGMA user_version = -2147483648");
        }
        {
            store::Database foreign(s / "foreign.db", store::Database::OpenMode::CreateIfMissing);
            foreign.exec("CREATE TABLE notes(text TEXT)");
        }
        std::u16string utf16 = u"\xFEFFprompt,media_a,media_b\np,../img/0.png,../img/1.png\n";
        std::ofstream(s / "utf16.csv", std::ios::binary)
            .write(reinterpret_cast<const char*>(utf16.data()),
                   static_cast<std::streamsize>(utf16.size() * 2));
        for (const char* side : {"left", "right"}) {
            fs::create_directories(s / "folderpair" / side);
            fs::copy_file(s / "img" / (side[0] == 'l' ? "0.png" : "1.png"),
                          s / "folderpair" / side / "x.png");
        }
        test::writeText(s / "folderpair" / "prompts.jsonl",
                        R"({"file": "x.png", "prompt": "p", "colour": "red"})"
                        "\n");
        test::writeLevelFrames(m_dir.path() / "frames", 12, 64, 64);
        test::encodeFrames(m_dir.path() / "frames", s / "clip.mp4", 12, {"-c:v", "mpeg4"});
    }

private slots:
    void initTestCase() { buildFixture(); }

    void refusesBadInput_data() {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QStringList>("expect");
        const auto cases = nlohmann::json::parse(readBytes(ROBUSTNESS_DIR "/cases.json"));
        QVERIFY(cases.size() >= 60);
        for (const auto& c : cases) {
            QStringList args, expect;
            for (const auto& a : c.at("args"))
                args << QString::fromStdString(expand(a.get<std::string>()));
            for (const auto& e : c.at("expect"))
                expect << QString::fromStdString(expand(e.get<std::string>()));
            QTest::newRow(c.at("name").get<std::string>().c_str()) << args << expect;
        }
    }

    void refusesBadInput() {
        QFETCH(QStringList, args);
        QFETCH(QStringList, expect);
        std::vector<std::string> argv;
        for (const QString& a : args)
            argv.push_back(a.toStdString());
        const auto before = snapshot(scratch());
        const test::MeasuredRun r = test::runMeasured(RDANCE_BIN, argv, std::chrono::seconds(120));
        const std::string context = "stderr: " + r.err;
        QVERIFY2(!r.timedOut, context.c_str());
        QVERIFY2(r.signal == 0, ("killed by signal " + std::to_string(r.signal)).c_str());
        QVERIFY2(r.exitCode == 1, ("exit " + std::to_string(r.exitCode) + "; " + context).c_str());
        for (const QString& fragment : expect)
            QVERIFY2(r.err.find(fragment.toStdString()) != std::string::npos,
                     ("'" + fragment.toStdString() + "' not in " + context).c_str());
        QVERIFY2(r.err.find("internal error") == std::string::npos, context.c_str());
        QVERIFY2(r.maxRssKiB < kMaxRssKiB, ("max RSS " + std::to_string(r.maxRssKiB)).c_str());
        const std::string changed = differences(before, snapshot(scratch()));
        QVERIFY2(changed.empty(), changed.c_str());
        QVERIFY(!fs::exists("/tmp/rd-robustness-absolute") &&
                !fs::exists(m_dir.path() / "escaped"));
    }

    // Reading needs no write: info, export and results on a workspace nobody may write to (as
    // root the commands run as nobody, since root may write anywhere).
    void readOnlyWorkspaceReads() {
        const fs::path folder = m_dir.path() / "readonly";
        fs::create_directories(folder);
        fs::copy(ws(), folder / "ws", fs::copy_options::recursive);
        const auto before = snapshot(folder);
        fs::permissions(m_dir.path(), fs::perms::others_read | fs::perms::others_exec,
                        fs::perm_options::add);
        for (const auto& entry : fs::recursive_directory_iterator(folder))
            fs::permissions(entry.path(),
                            fs::perms::owner_write | fs::perms::group_write |
                                fs::perms::others_write,
                            fs::perm_options::remove);
        fs::permissions(folder, fs::perms::owner_write | fs::perms::others_write,
                        fs::perm_options::remove);
        const std::vector<std::vector<std::string>> reads = {
            {"info", (folder / "ws").string()},
            {"export", (folder / "ws").string(), "--what", "pairs", "--format", "jsonl"},
            {"results", (folder / "ws").string(), "--table", "rm_accuracy"}};
        // nobody may not reach the build folder (a clone under /root): it runs a copy from here.
        const fs::path asNobody = m_dir.path() / "rdance-as-nobody";
        if (::geteuid() == 0) {
            fs::copy_file(RDANCE_BIN, asNobody, fs::copy_options::overwrite_existing);
            fs::permissions(asNobody, fs::perms::owner_all | fs::perms::group_read |
                                          fs::perms::group_exec | fs::perms::others_read |
                                          fs::perms::others_exec);
        }
        for (const auto& args : reads) {
            std::vector<std::string> argv = args;
            std::string program = RDANCE_BIN;
            if (::geteuid() == 0) {
                argv.insert(argv.begin(), {"--reuid=65534", "--regid=65534", "--clear-groups",
                                           asNobody.string()});
                program = "/usr/bin/setpriv";
            }
            const test::MeasuredRun r = test::runMeasured(program, argv, std::chrono::seconds(60));
            QVERIFY2(r.exitCode == 0, (args[0] + ": " + r.err).c_str());
            QVERIFY2(!r.out.empty(), args[0].c_str());
        }
        fs::permissions(folder, fs::perms::owner_all, fs::perm_options::add);
        for (const auto& entry : fs::recursive_directory_iterator(folder))
            fs::permissions(entry.path(), fs::perms::owner_write, fs::perm_options::add);
        QCOMPARE(QString::fromStdString(differences(before, snapshot(folder))), QString());
    }

    // A reading command leaves the workspace folder as it found it: not even SQLite's -wal and
    // -shm files stay behind.
    void readsLeaveNoFilesBehind() {
        const fs::path folder = m_dir.path() / "quiet";
        fs::create_directories(folder);
        fs::copy(ws(), folder / "ws", fs::copy_options::recursive);
        const auto listing = [&] {
            std::vector<std::string> names;
            for (const auto& entry : fs::recursive_directory_iterator(folder))
                names.push_back(entry.path().lexically_relative(folder).string());
            std::sort(names.begin(), names.end());
            return names;
        };
        const auto before = listing();
        run({"info", (folder / "ws").string()});
        run({"export", (folder / "ws").string(), "--what", "rm"});
        run({"results", (folder / "ws").string(), "--table", "alignment"});
        QVERIFY(listing() == before);
    }

    // `export --what pairs --format jsonl` imports back into another workspace: the same pairs,
    // the same media files, preferences, rationales, generators, seeds and splits.
    void exportedPairsImportBack() {
        const fs::path exported = m_dir.path() / "pairs.jsonl";
        run({"export", ws().string(), "--what", "pairs", "--format", "jsonl", "--out",
             exported.string()});
        const fs::path copy = m_dir.path() / "roundtrip";
        run({"init", copy.string()});
        run({"import", copy.string(), exported.string()});
        const auto describe = [](const fs::path& folder) {
            auto w = store::Workspace::open(folder);
            store::Statement s(
                w->database(),
                "SELECT pr.text, pr.split, pr.metadata, p.preferred, p.rationale, p.split, "
                "ma.sha256, mb.sha256, ga.generator, gb.generator, ga.seed, gb.seed FROM pairs p "
                "JOIN prompts pr ON pr.id = p.prompt_id JOIN generations ga ON ga.id = p.gen_a "
                "JOIN generations gb ON gb.id = p.gen_b JOIN media ma ON ma.id = ga.media_id "
                "JOIN media mb ON mb.id = gb.media_id ORDER BY 1, 4, 7, 8");
            std::vector<std::string> rows;
            while (s.step()) {
                std::string row;
                for (int c = 0; c < 12; ++c)
                    row += (s.isNull(c) ? "NULL" : s.text(c)) + "|";
                rows.push_back(row);
            }
            return rows;
        };
        const auto original = describe(ws()), imported = describe(copy);
        QVERIFY(original.size() > 10);
        QCOMPARE(imported.size(), original.size());
        QVERIFY(imported == original);
    }

    // A faststart MP4 cut short still lists every frame in its header: probe says what can
    // really be read, and warns.
    void truncatedClipProbeWarns() {
        const fs::path frames = m_dir.path() / "frames50", clip = m_dir.path() / "cut.mp4";
        test::writeLevelFrames(frames, 50, 64, 64);
        test::encodeFrames(frames, clip, 25, {"-c:v", "mpeg4", "-movflags", "+faststart"});
        const std::string whole = readBytes(clip);
        std::ofstream(clip, std::ios::binary | std::ios::trunc)
            << whole.substr(0, whole.size() * 4 / 10);
        const test::MeasuredRun r = test::runMeasured(RDANCE_BIN, {"media", "probe", clip.string()},
                                                      std::chrono::seconds(60));
        QCOMPARE(r.exitCode, 0);
        const auto probe = nlohmann::json::parse(r.out);
        QCOMPARE(probe["declared_frames"].get<int>(), 50);
        QVERIFY(probe["frames"].get<int>() < 50);
        QVERIFY(probe["duration_s"].get<double>() < 2.0 * 0.9);
        QVERIFY2(r.err.find("cut.mp4") != std::string::npos &&
                     r.err.find("truncated") != std::string::npos,
                 r.err.c_str());
    }
};

QTEST_GUILESS_MAIN(TestRobustness)
#include "test_robustness.moc"
