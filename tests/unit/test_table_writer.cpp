// Table export: every format escapes what it must and reads back.
#include "common/error.h"
#include "eval/table_writer.h"

#include <nlohmann/json.hpp>

#include <QtTest>

#include <sstream>

using namespace rd;

namespace {

Table sample() {
    Table t;
    t.columns = {"model", "accuracy", "n", "note"};
    t.rows.push_back({std::string("rm_s"), 0.905, std::int64_t(200), std::string("a, \"b\"\nc|d")});
    t.rows.push_back({std::string("rm&m"), 0.5, std::int64_t(3), std::monostate{}});
    return t;
}

std::string render(eval::TableFormat format) {
    std::ostringstream out;
    eval::writeTable(sample(), format, out);
    return out.str();
}

} // namespace

class TestTableWriter : public QObject {
    Q_OBJECT

private slots:
    void csvQuotesFieldsThatNeedIt() {
        const std::string csv = render(eval::TableFormat::Csv);
        QCOMPARE(csv, std::string("model,accuracy,n,note\r\n"
                                  "rm_s,0.905,200,\"a, \"\"b\"\"\nc|d\"\r\n"
                                  "rm&m,0.5,3,\r\n"));
    }

    void jsonlKeepsTypes() {
        std::istringstream in(render(eval::TableFormat::Jsonl));
        std::string line;
        std::vector<nlohmann::json> rows;
        while (std::getline(in, line))
            rows.push_back(nlohmann::json::parse(line));
        QCOMPARE(rows.size(), size_t(2));
        QCOMPARE(rows[0]["accuracy"].get<double>(), 0.905);
        QCOMPARE(rows[0]["n"].get<int>(), 200);
        QCOMPARE(rows[0]["note"].get<std::string>(), std::string("a, \"b\"\nc|d"));
        QVERIFY(rows[1]["note"].is_null());
        const auto array = nlohmann::json::parse(render(eval::TableFormat::Json));
        QCOMPARE(array.size(), size_t(2));
    }

    void markdownEscapesPipes() {
        const std::string md = render(eval::TableFormat::Markdown);
        QVERIFY(md.find("| model | accuracy | n | note |\n| --- | --- | --- | --- |\n") == 0);
        QVERIFY(md.find("a, \"b\" c\\|d") != std::string::npos);
    }

    void latexEscapesSpecials() {
        const std::string tex = render(eval::TableFormat::Latex);
        QVERIFY(tex.find("\\begin{tabular}{llll}") == 0);
        QVERIFY(tex.find("rm\\_s & 0.905 & 200") != std::string::npos);
        QVERIFY(tex.find("rm\\&m") != std::string::npos);
        QVERIFY(tex.find("\\bottomrule") != std::string::npos);
    }

    void formatNames() {
        QCOMPARE(eval::parseTableFormat("md"), eval::TableFormat::Markdown);
        QCOMPARE(eval::formatForExtension(".tex", eval::TableFormat::Csv),
                 eval::TableFormat::Latex);
        QCOMPARE(eval::formatForExtension(".xyz", eval::TableFormat::Csv), eval::TableFormat::Csv);
        QVERIFY_THROWS_EXCEPTION(rd::Error, eval::parseTableFormat("xlsx"));
    }
};

QTEST_APPLESS_MAIN(TestTableWriter)
#include "test_table_writer.moc"
