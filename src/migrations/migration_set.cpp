#include "strata/migration_set.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <map>

#include <fmt/format.h>

#include "migrations/checksum.hpp"
#include "migrations/internal/dbmate_file.hpp"
#include "migrations/internal/diesel_metadata.hpp"
#include "migrations/internal/directives.hpp"
#include "migrations/internal/lint.hpp"
#include "sql/postgres_statements.hpp"
#include "sql/text.hpp"

namespace fs = std::filesystem;

namespace strata {

version_rule migration_set::rule() const noexcept {
    return layout ? rule_of(*layout) : version_rule::number;
}

std::optional<migration_version> migration_set::parse_version(std::string_view text) const {
    return migration_version::parse(text, rule());
}

const migration* migration_set::find(const migration_version& v) const {
    for (const auto& m : migrations)
        if (m.version == v)
            return &m;
    return nullptr;
}

bool migration_set::precedes(const migration_version& a, const migration_version& b) const {
    // A migration's own version knows what follows it in its file name.
    const migration* ma = find(a);
    const migration* mb = find(b);
    return (ma ? ma->version : a) < (mb ? mb->version : b);
}

void throw_if_invalid(const migration_set& set) {
    for (const auto& d : set.diagnostics)
        if (d.level == severity::error)
            throw error(error_kind::check, d.message, d.where);
}

namespace {

bool ends_with(std::string_view s, std::string_view suffix) {
    return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

// An OS error as the messages spell it: "permission denied".
std::string reason(int error_number) {
    std::string text = std::strerror(error_number);
    if (!text.empty() && text.front() >= 'A' && text.front() <= 'Z')
        text.front() = static_cast<char>(text.front() - 'A' + 'a');
    return text;
}

std::string reason(const std::error_code& ec) {
    return reason(ec.value());
}

// Offset of the first byte of `text` that is not part of well-formed UTF-8
// (overlong forms, surrogates and code points past U+10FFFF included), or
// npos when all of it is.
std::size_t invalid_utf8_offset(std::string_view text) {
    std::size_t i = 0;
    while (i < text.size()) {
        const auto c = static_cast<unsigned char>(text[i]);
        std::size_t length = 0;
        unsigned char low = 0x80;
        unsigned char high = 0xBF;
        if (c < 0x80) {
            ++i;
            continue;
        } else if (c >= 0xC2 && c <= 0xDF) {
            length = 2;
        } else if (c >= 0xE0 && c <= 0xEF) {
            length = 3;
            low = c == 0xE0 ? 0xA0 : 0x80;
            high = c == 0xED ? 0x9F : 0xBF;
        } else if (c >= 0xF0 && c <= 0xF4) {
            length = 4;
            low = c == 0xF0 ? 0x90 : 0x80;
            high = c == 0xF4 ? 0x8F : 0xBF;
        } else {
            return i;
        }
        if (i + length > text.size())
            return i;
        for (std::size_t k = 1; k < length; ++k) {
            const auto next = static_cast<unsigned char>(text[i + k]);
            if (next < (k == 1 ? low : 0x80) || next > (k == 1 ? high : 0xBF))
                return i;
        }
        i += length;
    }
    return std::string_view::npos;
}

// Migration-like names start with a digit: they must parse or be reported.
bool looks_like_migration(std::string_view name) {
    return !name.empty() && name.front() >= '0' && name.front() <= '9';
}

struct versioned_name {
    strata::migration_version version;
    std::string name;
};

// "<version>_<name>" where version is digits, optionally dash-grouped: the
// names of diesel's folders and sqlx's files.
std::optional<versioned_name> split_versioned(std::string_view stem, version_rule rule) {
    auto underscore = stem.find('_');
    if (underscore == std::string_view::npos || underscore + 1 == stem.size())
        return std::nullopt;
    auto v = migration_version::parse(stem.substr(0, underscore), rule);
    if (!v)
        return std::nullopt;
    return versioned_name{*v, std::string(stem.substr(underscore + 1))};
}

// diesel's folder name (diesel_migrations' file_based_migrations.rs): the
// version is the name up to its first '_', or all of it, dashes removed.
std::optional<versioned_name> split_diesel_name(std::string_view dir_name) {
    const auto underscore = dir_name.find('_');
    auto v = migration_version::parse(dir_name.substr(0, underscore), version_rule::text);
    if (!v)
        return std::nullopt;
    return versioned_name{*v, underscore == std::string_view::npos
                                  ? ""
                                  : std::string(dir_name.substr(underscore + 1))};
}

// dbmate's file name (`^(\d+).*\.sql$`, pkg/dbmate/migration.go): the
// leading digits are the version, whatever follows them the name; `stem` is
// the file name without `.sql`.
versioned_name split_dbmate_name(std::string_view stem) {
    std::size_t digits = 0;
    while (digits < stem.size() && stem[digits] >= '0' && stem[digits] <= '9')
        ++digits;
    const char next = digits < stem.size() ? stem[digits] : '.';
    std::string_view name = stem.substr(digits);
    if (!name.empty() && name.front() == '_')
        name.remove_prefix(1);
    return {*migration_version::parse(stem.substr(0, digits), version_rule::file_name, next),
            std::string(name)};
}

// sqlx's own directive (sqlx-core's migrate/source.rs): a script whose text
// starts with it runs outside a transaction.
bool has_sqlx_no_transaction(std::string_view sql) {
    return sql.substr(0, 17) == "-- no-transaction";
}

// Whether a script opens its own transaction (`BEGIN;` ... `COMMIT;`). The
// tools run such a script inside theirs on PostgreSQL, where the inner BEGIN
// is only a warning and its COMMIT ends their transaction: the script's own
// transaction is the one that counts, so the migration runs in it, outside
// Strata's. Split as psql splits, which keeps a SQLite trigger's
// `BEGIN ... END` inside its CREATE TRIGGER statement.
bool opens_own_transaction(std::string_view sql) {
    for (const auto& span : detail::split_postgres_statements(sql)) {
        const std::string keyword = first_keyword(sql.substr(span.begin, span.end - span.begin));
        if (keyword == "BEGIN" || keyword == "START")
            return true;
    }
    return false;
}

// The identity of a version under its rule, as a key: duplicates share it.
std::string identity_key(const migration_version& v) {
    if (v.rule() != version_rule::number)
        return v.str();
    const auto first = v.str().find_first_not_of('0');
    return first == std::string::npos ? "0" : v.str().substr(first);
}

struct sqlx_pair {
    std::optional<versioned_name> name;
    std::optional<fs::path> up;
    std::optional<fs::path> down;
};

struct read_migration {
    migration m;
    strata::layout layout;
};

class reader {
  public:
    reader(fs::path directory, const read_options& options) : options_(options) {
        set_.directory = std::move(directory);
    }

    migration_set read() {
        std::error_code ec;
        const auto status = fs::status(set_.directory, ec);
        if (status.type() == fs::file_type::not_found)
            throw error(error_kind::usage,
                        "migration directory '" + shown(set_.directory) + "' does not exist");
        if (ec)  // a symlink loop, a directory on the way that cannot be searched
            throw error(error_kind::usage, "cannot read migration directory '" +
                                               shown(set_.directory) + "': " + reason(ec));
        if (!fs::is_directory(status))
            throw error(error_kind::usage,
                        "migration directory '" + shown(set_.directory) + "' is not a directory");
        std::vector<fs::directory_entry> entries;
        fs::directory_iterator it(set_.directory, ec);
        if (ec)
            throw error(error_kind::usage, "cannot read migration directory '" +
                                               shown(set_.directory) + "': " + reason(ec));
        for (const auto& entry : it)
            entries.push_back(entry);
        set_.inputs.push_back(set_.directory);
        std::sort(entries.begin(), entries.end(),
                  [](const auto& a, const auto& b) { return a.path() < b.path(); });
        for (const auto& entry : entries)
            read_entry(entry);
        finish_sqlx_pairs();
        order_and_check();
        for (const auto& m : set_.migrations)
            for (auto& d : lint_migration(m))
                set_.diagnostics.push_back(std::move(d));
        return std::move(set_);
    }

  private:
    std::string shown(const fs::path& p) const { return p.generic_string(); }

    void note_ignored(const fs::path& p, const std::string& why) {
        set_.diagnostics.push_back(
            {severity::note, "ignored", {shown(p), 0}, {}, "ignored: " + why});
    }

    void fail(const std::string& kind, source_location where, const std::string& message,
              const std::string& version = {}) {
        set_.diagnostics.push_back({severity::error, kind, std::move(where), version, message});
    }

    // The text of a file of the set, without a UTF-8 byte order mark, or
    // nullopt after reporting why it cannot be a script: unreadable, not a
    // regular file (a FIFO would block the read), over the size limit, or
    // not UTF-8 text.
    std::optional<std::string> slurp(const fs::path& p) {
        set_.inputs.push_back(p);
        const std::string file = shown(p);
        // O_NONBLOCK: opening a FIFO must not wait for a writer.
        const int fd = ::open(p.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
        if (fd < 0) {
            fail("layout", {file, 0}, "cannot read file: " + reason(errno));
            return std::nullopt;
        }
        const struct closer {
            int fd;
            ~closer() { ::close(fd); }
        } close_at_return{fd};
        struct stat st {};
        if (::fstat(fd, &st) != 0) {
            fail("layout", {file, 0}, "cannot read file: " + reason(errno));
            return std::nullopt;
        }
        if (!S_ISREG(st.st_mode)) {
            fail("layout", {file, 0}, "not a regular file");
            return std::nullopt;
        }
        const std::uintmax_t limit = options_.max_file_size;
        const auto too_large = [&] {
            fail("layout", {file, 0},
                 "file is larger than " + std::to_string(limit / (1024 * 1024)) +
                     " MiB, the limit for a migration file; split it, or load the data another "
                     "way (COPY, .import)");
        };
        if (static_cast<std::uintmax_t>(st.st_size) > limit) {
            too_large();
            return std::nullopt;
        }
        std::string content;
        content.reserve(static_cast<std::size_t>(st.st_size));
        char buffer[65536];
        for (;;) {
            const ssize_t n = ::read(fd, buffer, sizeof buffer);
            if (n < 0 && errno == EINTR)
                continue;
            if (n < 0) {
                fail("layout", {file, 0}, "cannot read file: " + reason(errno));
                return std::nullopt;
            }
            if (n == 0)
                break;
            content.append(buffer, static_cast<std::size_t>(n));
            if (content.size() > limit) {  // it grew while being read
                too_large();
                return std::nullopt;
            }
        }
        // Editors on Windows write a byte order mark; it is no SQL (Flyway
        // strips it too), and the checksum is that of the text without it.
        if (content.compare(0, 3, "\xEF\xBB\xBF") == 0)
            content.erase(0, 3);
        const auto at = [&](std::size_t offset) {
            return source_location{file, 1 + lines_before(content, offset)};
        };
        if (content.compare(0, 2, "\xFF\xFE") == 0 || content.compare(0, 2, "\xFE\xFF") == 0) {
            fail("layout", {file, 1}, "file is UTF-16 text; save it as UTF-8");
            return std::nullopt;
        }
        if (const auto bad = invalid_utf8_offset(content); bad != std::string::npos) {
            // content[bad] is no '\n': the line break before it, if any.
            const auto newline = content.rfind('\n', bad);
            const std::size_t column = newline == std::string::npos ? bad + 1 : bad - newline;
            fail(
                "layout", at(bad),
                fmt::format("file is not valid UTF-8: byte 0x{:02x} at column {}; save it as UTF-8",
                            static_cast<unsigned char>(content[bad]), column));
            return std::nullopt;
        }
        if (const auto nul = content.find('\0'); nul != std::string::npos) {
            fail("layout", at(nul), "file holds a NUL byte, which no SQL script does");
            return std::nullopt;
        }
        return content;
    }

    void read_entry(const fs::directory_entry& entry) {
        const std::string file_name = entry.path().filename().string();
        if (file_name.empty() || file_name.front() == '.')
            return;  // .keep, .git, editors
        std::error_code ec;
        const bool is_directory = entry.is_directory(ec);
        if (ec && looks_like_migration(file_name) && !ends_with(file_name, ".sql")) {
            // A symlink loop or a dangling link where a migration directory
            // should be (a script's is reported when it is read).
            fail("layout", {shown(entry.path()), 0}, "cannot read: " + reason(ec));
        } else if (is_directory) {
            read_diesel_directory(entry.path(), file_name);
        } else if (!ends_with(file_name, ".sql")) {
            note_ignored(entry.path(), "not a .sql file");
        } else if (!looks_like_migration(file_name)) {
            note_ignored(entry.path(), "no version prefix (expected <version>_<name>.sql)");
        } else {
            read_flat_file(entry.path(), file_name);
        }
    }

    void read_diesel_directory(const fs::path& dir, const std::string& dir_name) {
        const fs::path up_path = dir / "up.sql";
        const fs::path down_path = dir / "down.sql";
        const fs::path metadata_path = dir / "metadata.toml";
        std::error_code ec;
        const auto up_status = fs::symlink_status(up_path, ec);
        // diesel takes any folder with an up.sql; one without, that does not
        // start like a version either, is no migration.
        if (!looks_like_migration(dir_name) && up_status.type() == fs::file_type::not_found) {
            note_ignored(dir, "directory without a version prefix or an up.sql");
            return;
        }
        auto parsed = split_diesel_name(dir_name);
        if (!parsed) {
            fail("layout", {shown(dir), 0},
                 "migration directory name does not parse: expected <version>_<name>, "
                 "for example 2025-01-20-120000_create_users");
            return;
        }
        set_.inputs.push_back(dir);
        if (up_status.type() == fs::file_type::not_found) {
            fail("layout", {shown(dir), 0}, "migration directory has no up.sql",
                 parsed->version.str());
            return;
        }
        if (ec) {  // the directory cannot be searched
            fail("layout", {shown(dir), 0}, "cannot read migration directory: " + reason(ec),
                 parsed->version.str());
            return;
        }
        auto up_text = slurp(up_path);
        if (!up_text)
            return;
        std::optional<script> down;
        if (fs::symlink_status(down_path, ec).type() != fs::file_type::not_found) {
            auto down_text = slurp(down_path);
            if (!down_text)
                return;
            down = script{std::move(*down_text), shown(down_path), 1};
        }
        bool in_transaction = true;
        if (fs::symlink_status(metadata_path, ec).type() != fs::file_type::not_found) {
            auto toml = slurp(metadata_path);
            if (!toml)
                return;
            in_transaction =
                detail::diesel_runs_in_transaction(*toml, shown(metadata_path), set_.diagnostics);
        }
        add(layout::diesel, std::move(*parsed), script{std::move(*up_text), shown(up_path), 1},
            std::move(down), in_transaction, in_transaction, "add " + shown(down_path));
    }

    void read_flat_file(const fs::path& path, const std::string& file_name) {
        const bool is_up = ends_with(file_name, ".up.sql");
        const bool is_down = ends_with(file_name, ".down.sql");
        const std::string stem = file_name.substr(0, file_name.size() - (is_up     ? 7
                                                                         : is_down ? 9
                                                                                   : 4));
        const auto does_not_parse = [&] {
            fail("layout", {shown(path), 0},
                 "migration file name does not parse: expected <version>_<name>.sql, "
                 "for example 20250120120000_create_users.sql");
        };
        if (is_up || is_down) {
            auto parsed = split_versioned(stem, version_rule::number);
            if (!parsed)
                return does_not_parse();
            auto& pair = sqlx_pairs_[stem];
            pair.name = std::move(parsed);
            (is_up ? pair.up : pair.down) = path;
            return;
        }
        auto text = slurp(path);
        if (!text)
            return;
        if (detail::is_dbmate_file(*text)) {
            auto sections = detail::split_dbmate_file(*text, shown(path), set_.diagnostics);
            if (!sections)
                return;
            const auto file_directives = read_directives(sections->preamble, set_.diagnostics);
            // dbmate's options are a section's; a directive of the file, both's.
            add(layout::dbmate, split_dbmate_name(stem), std::move(sections->up),
                std::move(sections->down),
                sections->up_in_transaction && !file_directives.no_transaction,
                sections->down_in_transaction && !file_directives.no_transaction,
                "add a '-- migrate:down' section to " + shown(path), file_directives.irreversible);
            return;
        }
        // sqlx's simple layout: one-way by design.
        auto parsed = split_versioned(stem, version_rule::number);
        if (!parsed)
            return does_not_parse();
        const bool in_transaction = !has_sqlx_no_transaction(*text);
        add(layout::sqlx, std::move(*parsed), script{std::move(*text), shown(path), 1},
            std::nullopt, in_transaction, true, {}, false, true);
    }

    void finish_sqlx_pairs() {
        for (auto& [stem, pair] : sqlx_pairs_) {
            if (!pair.up) {
                fail("layout", {shown(*pair.down), 0},
                     "down script without an up script (expected " + stem + ".up.sql)",
                     pair.name->version.str());
                continue;
            }
            auto up_text = slurp(*pair.up);
            if (!up_text)
                continue;
            const bool up_in_transaction = !has_sqlx_no_transaction(*up_text);
            bool down_in_transaction = true;
            std::optional<script> down;
            fs::path down_path = *pair.up;
            down_path.replace_filename(stem + ".down.sql");
            if (pair.down) {
                auto down_text = slurp(*pair.down);
                if (!down_text)
                    continue;
                down_in_transaction = !has_sqlx_no_transaction(*down_text);
                down = script{std::move(*down_text), shown(*pair.down), 1};
            }
            add(layout::sqlx, std::move(*pair.name),
                script{std::move(*up_text), shown(*pair.up), 1}, std::move(down), up_in_transaction,
                down_in_transaction, "add " + shown(down_path));
        }
    }

    // What every layout shares once its files are read: directives, how the
    // migration is reverted, the checksum. `add_down` says how to give it a
    // down script in its layout, for the missing-down finding.
    // `up_in_transaction` and `down_in_transaction`: what the layout says of
    // each script (sqlx's `-- no-transaction` and dbmate's `transaction:false`
    // are a script's; diesel's metadata.toml is the migration's).
    void add(strata::layout l, versioned_name name, script up, std::optional<script> down,
             bool up_in_transaction, bool down_in_transaction, const std::string& add_down,
             bool irreversible = false, bool one_way = false) {
        migration m{name.version, std::move(name.name), std::move(up)};
        const std::string v = m.version.str();
        auto up_directives = read_directives(m.up, set_.diagnostics);
        // Strata's own directive applies to both directions of the migration.
        const bool strata_no_transaction =
            up_directives.no_transaction ||
            (down && read_directives(*down, set_.diagnostics).no_transaction);
        m.run_in_transaction =
            up_in_transaction && !strata_no_transaction && !opens_own_transaction(m.up.sql);
        m.revert_in_transaction = down_in_transaction && !strata_no_transaction &&
                                  !(down && opens_own_transaction(down->sql));

        // diesel refuses an up.sql of zero bytes (MigrationError::EmptyMigration);
        // one with blanks or comments only runs as a no-op, as in the other layouts.
        if (l == layout::diesel && m.up.sql.empty())
            fail("empty-up", {m.up.file, m.up.first_line},
                 "up script is empty; write its statements, or a comment if it is meant to do "
                 "nothing",
                 v);

        const bool down_is_empty = down && !has_statement(down->sql);
        if (up_directives.irreversible || irreversible) {
            // The author's decision; a down script beside it is not run.
            m.reversal = reversal::irreversible;
        } else if (down && !down_is_empty) {
            m.reversal = reversal::script;
            m.down = std::move(down);
        } else if (one_way) {
            m.reversal = reversal::one_way;
        } else if (m.is_no_op()) {
            m.reversal = reversal::nothing;
        } else {
            m.reversal = reversal::missing;
            if (down_is_empty)
                set_.missing_downs.push_back(
                    {severity::error,
                     "missing-down",
                     {down->file, down->first_line},
                     v,
                     "down script holds no SQL statement, only comments or whitespace; write "
                     "the statements that revert " +
                         m.id() + ", or mark its up script '-- strata:irreversible'"});
            else
                set_.missing_downs.push_back(
                    {severity::error,
                     "missing-down",
                     {m.up.file, 0},
                     v,
                     "migration " + m.id() + " has no down script; " + add_down +
                         ", or mark the up script '-- strata:irreversible'"});
        }
        m.checksum = script_checksum(m.up.sql);
        read_.push_back({std::move(m), l});
    }

    void order_and_check() {
        std::stable_sort(read_.begin(), read_.end(),
                         [](const auto& a, const auto& b) { return a.m.version < b.m.version; });
        // dbmate's `1.sql` and `1_a.sql` are one version, not always side by side.
        std::map<std::string, const migration*> first_of;
        for (const auto& r : read_) {
            const auto [first, fresh] = first_of.emplace(identity_key(r.m.version), &r.m);
            if (!fresh)
                fail("duplicate-version", {r.m.up.file, 0},
                     "duplicate version " + r.m.version.str() + ": also used by " +
                         first->second->up.file,
                     r.m.version.str());
        }
        std::map<strata::layout, std::string> example_of;
        for (const auto& r : read_)
            example_of.emplace(r.layout, r.m.up.file);
        if (example_of.size() > 1) {
            std::string which;
            for (const auto& [l, file] : example_of)
                which += std::string(which.empty() ? "" : ", ") + to_string(l) + " (" + file + ")";
            fail("layout", {shown(set_.directory), 0},
                 "mixed migration layouts in one directory: " + which);
        } else if (!example_of.empty()) {
            set_.layout = example_of.begin()->first;
        }
        for (auto& r : read_)
            set_.migrations.push_back(std::move(r.m));
        std::map<std::string, std::size_t> place;
        for (std::size_t i = 0; i < set_.migrations.size(); ++i)
            place.emplace(set_.migrations[i].version.str(), i);
        std::stable_sort(set_.missing_downs.begin(), set_.missing_downs.end(),
                         [&](const diagnostic& a, const diagnostic& b) {
                             return place[a.version] < place[b.version];
                         });
    }

    read_options options_;
    migration_set set_;
    std::map<std::string, sqlx_pair> sqlx_pairs_;
    std::vector<read_migration> read_;
};

}  // namespace

migration_set read_migration_set(const fs::path& directory, const read_options& options) {
    return reader(directory, options).read();
}

}  // namespace strata
