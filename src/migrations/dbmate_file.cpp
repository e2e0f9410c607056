#include "migrations/internal/dbmate_file.hpp"

#include <algorithm>
#include <cctype>
#include <vector>

#include "sql/lexer.hpp"
#include "sql/text.hpp"

namespace strata::detail {

namespace {

struct marker {
    std::size_t begin = 0;  // offset of the marker line
    std::size_t end = 0;    // offset just past its line break
    int line = 0;           // 1-based
    std::string_view options;
};

// `-- migrate:<section> [options]` at the start of a line, as dbmate's own
// pattern `(?m)^--\s*migrate:up(.*)$` reads it.
std::optional<std::string_view> marker_options(std::string_view line, std::string_view section) {
    if (line.substr(0, 2) != "--")
        return std::nullopt;
    auto rest = line.substr(2);
    rest.remove_prefix(std::min(rest.find_first_not_of(" \t"), rest.size()));
    std::string keyword = "migrate:" + std::string(section);
    if (rest.substr(0, keyword.size()) != keyword)
        return std::nullopt;
    rest.remove_prefix(keyword.size());
    if (!rest.empty() && rest.front() != ' ' && rest.front() != '\t' && rest.front() != '\r')
        return std::nullopt;
    return rest;
}

std::vector<marker> find_markers(std::string_view text, std::string_view section) {
    std::vector<marker> found;
    std::size_t pos = 0;
    int line = 1;
    while (pos < text.size()) {
        auto eol = text.find('\n', pos);
        auto next = eol == std::string_view::npos ? text.size() : eol + 1;
        auto content = text.substr(pos, (eol == std::string_view::npos ? text.size() : eol) - pos);
        if (auto options = marker_options(content, section))
            found.push_back({pos, next, line, *options});
        pos = next;
        ++line;
    }
    return found;
}

// dbmate's only option is `transaction:false|true`.
bool in_transaction(const marker& m, const std::string& file, diagnostics& found) {
    std::string_view opts = m.options;
    bool result = true;
    std::size_t pos = 0;
    while (pos < opts.size()) {
        pos = opts.find_first_not_of(" \t\r", pos);
        if (pos == std::string_view::npos)
            break;
        auto end = opts.find_first_of(" \t\r", pos);
        auto token =
            opts.substr(pos, end == std::string_view::npos ? std::string_view::npos : end - pos);
        if (token == "transaction:false") {
            result = false;
        } else if (token != "transaction:true") {
            found.push_back({severity::error,
                             "layout",
                             {file, m.line},
                             {},
                             "unknown dbmate option '" + std::string(token) +
                                 "' (expected transaction:false)"});
        }
        pos = end == std::string_view::npos ? opts.size() : end;
    }
    return result;
}

}  // namespace

bool is_dbmate_file(std::string_view text) {
    // Any `-- migrate:` line, however spelt: a misspelt marker must be
    // reported, not run as part of one big script.
    std::size_t pos = 0;
    while (pos < text.size()) {
        auto eol = text.find('\n', pos);
        auto line = text.substr(pos, (eol == std::string_view::npos ? text.size() : eol) - pos);
        if (line.substr(0, 2) == "--") {
            line.remove_prefix(2);
            line.remove_prefix(std::min(line.find_first_not_of(" \t"), line.size()));
            std::string word(line.substr(0, 8));
            for (auto& c : word)
                c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
            if (word == "migrate:")
                return true;
        }
        if (eol == std::string_view::npos)
            break;
        pos = eol + 1;
    }
    return false;
}

std::optional<dbmate_sections> split_dbmate_file(std::string_view text, const std::string& file,
                                                 diagnostics& found) {
    auto ups = find_markers(text, "up");
    auto downs = find_markers(text, "down");
    const std::size_t errors_before = found.size();
    if (ups.empty()) {
        found.push_back({severity::error,
                         "layout",
                         {file, 0},
                         {},
                         "no '-- migrate:up' section in dbmate migration"});
        return std::nullopt;
    }
    if (ups.size() > 1)
        found.push_back(
            {severity::error, "layout", {file, ups[1].line}, {}, "second '-- migrate:up' section"});
    if (downs.size() > 1)
        found.push_back({severity::error,
                         "layout",
                         {file, downs[1].line},
                         {},
                         "second '-- migrate:down' section"});
    const marker& up = ups.front();
    if (sql::skip_blank_and_comments(text, sql::dialect::sqlite) < up.begin)
        found.push_back({severity::error,
                         "layout",
                         {file, 1 + lines_before(text, sql::skip_blank_and_comments(
                                                           text, sql::dialect::sqlite))},
                         {},
                         "SQL before '-- migrate:up' belongs to no section"});
    if (!downs.empty() && downs.front().begin < up.begin)
        found.push_back({severity::error,
                         "layout",
                         {file, downs.front().line},
                         {},
                         "'-- migrate:down' comes before '-- migrate:up'"});

    dbmate_sections sections;
    sections.preamble = {std::string(text.substr(0, up.begin)), file, 1};
    sections.up_in_transaction = in_transaction(up, file, found);
    if (found.size() != errors_before)
        return std::nullopt;

    const std::size_t up_end = downs.empty() ? text.size() : downs.front().begin;
    sections.up = {std::string(text.substr(up.end, up_end - up.end)), file, up.line + 1};
    if (!downs.empty()) {
        const marker& down = downs.front();
        sections.down_in_transaction = in_transaction(down, file, found);
        sections.down = script{std::string(text.substr(down.end)), file, down.line + 1};
    }
    if (found.size() != errors_before)
        return std::nullopt;
    return sections;
}

}  // namespace strata::detail
