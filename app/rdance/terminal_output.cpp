#include "terminal_output.h"

#include "jobs/job_names.h"

#include <nlohmann/json.hpp>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <optional>
#include <string>
#include <sys/ioctl.h>
#include <unistd.h>

namespace rd::cli {

namespace {

using Clock = std::chrono::steady_clock;

int terminalColumns() {
    winsize size{};
    if (::ioctl(STDOUT_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_col > 20)
        return size.ws_col;
    return 100;
}

std::string number(double value) {
    char text[32];
    std::snprintf(text, sizeof text, "%.4g", value);
    return text;
}

std::string duration(double seconds) {
    const long total = std::lround(std::max(0.0, seconds));
    char text[32];
    if (total >= 3600)
        std::snprintf(text, sizeof text, "%ld:%02ld:%02ld", total / 3600, total / 60 % 60,
                      total % 60);
    else
        std::snprintf(text, sizeof text, "%ld:%02ld", total / 60, total % 60);
    return text;
}

std::string valueText(const nlohmann::json& value) {
    if (value.is_string())
        return value.get<std::string>();
    if (value.is_number_float())
        return number(value.get<double>());
    return value.dump();
}

std::optional<double> numberField(const nlohmann::json& event, const char* name) {
    const auto it = event.find(name);
    if (it == event.end() || !it->is_number())
        return std::nullopt;
    return it->get<double>();
}

} // namespace

// The streambuf behind std::cout: collects each line and shows it to a person.
class TerminalOutput::LineView : public std::streambuf {
public:
    explicit LineView(std::streambuf* terminal) : m_terminal(terminal) {}

    void endLine() {
        if (m_barShown)
            write("\n");
        m_barShown = false;
    }

protected:
    int overflow(int c) override {
        if (c == traits_type::eof())
            return traits_type::not_eof(c);
        if (c == '\n') {
            show(m_line);
            m_line.clear();
        } else {
            m_line += static_cast<char>(c);
        }
        return c;
    }

    int sync() override { return m_terminal->pubsync(); }

private:
    void write(const std::string& text) {
        m_terminal->sputn(text.data(), static_cast<std::streamsize>(text.size()));
    }

    void clearBar() {
        if (m_barShown)
            write("\r\033[2K");
        m_barShown = false;
    }

    void show(const std::string& line) {
        const nlohmann::json event = nlohmann::json::parse(line, nullptr, false);
        if (!event.is_object() || !event.contains("event") || !event["event"].is_string()) {
            clearBar();
            write(line + "\n");
            return;
        }
        if (event["event"] == jobs::events::kProgress) {
            clearBar();
            write(progressLine(event));
            m_barShown = true;
            m_terminal->pubsync();
            return;
        }
        clearBar();
        std::string text = event["event"].get<std::string>() + ":";
        bool first = true;
        for (const auto& [key, value] : event.items())
            if (key != "event" && !value.is_null()) {
                text += (first ? " " : ", ") + key + " " + valueText(value);
                first = false;
            }
        write(text + "\n");
    }

    // "[=======>      ]  45%  step 1,800/4,000  3.1/s  11:40 left  loss 0.31  accuracy 0.75"
    std::string progressLine(const nlohmann::json& event) {
        const auto step = numberField(event, "step"), steps = numberField(event, "steps");
        const auto done = numberField(event, "done"), total = numberField(event, "total");
        const auto rows = numberField(event, "rows");
        std::optional<double> fraction = numberField(event, "fraction");
        if (!fraction && done && total && *total > 0)
            fraction = *done / *total;
        if (!fraction && step && steps && *steps > 0)
            fraction = *step / *steps;
        const std::optional<double> count = step ? step : done ? done : rows;

        const auto now = Clock::now();
        if (!m_firstProgress || (count && m_firstCount && *count < *m_firstCount)) {
            m_firstProgress = now; // a new phase or a new job starts counting again
            m_firstCount = count;
        }
        const double seconds = std::chrono::duration<double>(now - *m_firstProgress).count();
        const double elapsed = numberField(event, "elapsed_s").value_or(seconds);

        std::string text;
        if (fraction) {
            constexpr int kWidth = 24;
            const int filled = static_cast<int>(std::lround(*fraction * kWidth));
            text = "[" + std::string(static_cast<std::size_t>(filled), '=') +
                   (filled < kWidth ? ">" : "") +
                   std::string(static_cast<std::size_t>(std::max(0, kWidth - filled - 1)), ' ') +
                   "] " + std::to_string(static_cast<int>(*fraction * 100)) + "%";
        }
        if (event.contains("phase") && event["phase"].is_string())
            text += "  " + event["phase"].get<std::string>();
        if (step)
            text += "  step " + number(*step) + (steps && *steps > 0 ? "/" + number(*steps) : "");
        else if (done)
            text += "  " + number(*done) + (total ? "/" + number(*total) : "");
        else if (rows)
            text += "  " + number(*rows) + " rows";
        if (count && m_firstCount && seconds > 0.5)
            text += "  " + number((*count - *m_firstCount) / seconds) + "/s";
        if (fraction && *fraction > 0.0 && *fraction < 1.0 && elapsed > 0.5)
            text += "  " + duration(elapsed * (1.0 - *fraction) / *fraction) + " left";
        for (const char* extra : {"loss", "accuracy", "reward_mean"})
            if (const auto value = numberField(event, extra))
                text += std::string("  ") + extra + " " + number(*value);
        const auto columns = static_cast<std::size_t>(terminalColumns() - 1);
        return text.size() > columns ? text.substr(0, columns) : text;
    }

    std::streambuf* m_terminal;
    std::string m_line;
    bool m_barShown = false;
    std::optional<Clock::time_point> m_firstProgress;
    std::optional<double> m_firstCount;
};

TerminalOutput::TerminalOutput() = default;

namespace {
bool installed = false;
}

bool TerminalOutput::active() {
    return installed;
}

std::unique_ptr<TerminalOutput> TerminalOutput::installIfTerminal(bool json) {
    if (json || !::isatty(STDOUT_FILENO))
        return nullptr;
    installed = true;
    std::unique_ptr<TerminalOutput> output(new TerminalOutput());
    output->m_original = std::cout.rdbuf();
    output->m_view = std::make_unique<LineView>(output->m_original);
    std::cout.rdbuf(output->m_view.get());
    return output;
}

void TerminalOutput::endLine() {
    std::cout.flush();
    m_view->endLine();
    m_original->pubsync();
}

TerminalOutput::~TerminalOutput() {
    installed = false;
    endLine();
    std::cout.rdbuf(m_original);
}

} // namespace rd::cli
