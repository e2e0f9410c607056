#include "migrations/internal/diesel_metadata.hpp"

#include "sql/text.hpp"

namespace strata::detail {

bool diesel_runs_in_transaction(std::string_view toml, const std::string& file,
                                diagnostics& found) {
    bool result = true;
    bool given = false;
    int line_number = 0;
    std::size_t pos = 0;
    while (pos <= toml.size()) {
        auto eol = toml.find('\n', pos);
        auto line =
            toml.substr(pos, eol == std::string_view::npos ? std::string_view::npos : eol - pos);
        pos = eol == std::string_view::npos ? toml.size() + 1 : eol + 1;
        ++line_number;
        // Values diesel reads are booleans: a '#' always starts a comment here.
        line = trim(line.substr(0, line.find('#')));
        if (line.empty() || line.front() == '[')
            continue;
        auto eq = line.find('=');
        if (eq == std::string_view::npos) {
            found.push_back({severity::error,
                             "layout",
                             {file, line_number},
                             {},
                             "expected 'key = value' in metadata.toml"});
            continue;
        }
        auto key = trim(line.substr(0, eq));
        auto value = trim(line.substr(eq + 1));
        if (key != "run_in_transaction")
            continue;
        given = true;
        if (value == "false") {
            result = false;
        } else if (value == "true") {
            result = true;
        } else {
            found.push_back(
                {severity::error,
                 "layout",
                 {file, line_number},
                 {},
                 "run_in_transaction must be true or false, not '" + std::string(value) + "'"});
        }
    }
    if (!given) {
        found.push_back({severity::note,
                         "metadata",
                         {file, 0},
                         {},
                         "metadata.toml sets no run_in_transaction, so the migration runs outside "
                         "a transaction, as diesel runs it"});
        return false;
    }
    return result;
}

}  // namespace strata::detail
