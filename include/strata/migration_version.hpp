// A migration version: the digits that prefix a migration's name, told apart
// and ordered by the rule of the tool whose layout the set uses.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace strata {

// How a set's own tool identifies and orders its versions. Strata follows
// the set's tool, so that a database migrated by that tool and one migrated
// by Strata get the same migrations in the same order.
enum class version_rule {
    // diesel: the version is text (the folder name up to its first '_',
    // dashes removed), compared as text: `01` and `1` are two versions, and
    // `20240313` sorts after `20240306170000`.
    text,
    // sqlx: the version is an integer: `01` is `1`, and `2` sorts before `10`.
    number,
    // dbmate: the leading digits identify a migration and the whole file
    // name orders it, so `10_b.sql` runs before `1_a.sql`.
    file_name,
};

const char* to_string(version_rule rule) noexcept;

class migration_version {
  public:
    // Accepts digits optionally grouped by single dashes; nullopt otherwise.
    // Under the text rule, any text without blanks or '_', dashes removed.
    // `next` is the character that follows the version in its file name,
    // which only the file_name rule orders by ('_' as dbmate writes it).
    static std::optional<migration_version> parse(std::string_view text, version_rule rule,
                                                  char next = '_');

    // The text as written, dashes removed: what the tracking table stores.
    const std::string& str() const noexcept { return digits_; }
    version_rule rule() const noexcept { return rule_; }

    // The order of the rule: -1, 0 or 1. Under the number rule no integer
    // conversion is involved, so a version never overflows. Versions of two
    // rules are never the same and order by rule.
    int compare(const migration_version& other) const noexcept;
    // The identity of the rule: under the file_name rule two versions with
    // the same digits are the same migration whatever follows them.
    bool same_as(const migration_version& other) const noexcept;

    friend bool operator==(const migration_version& a, const migration_version& b) {
        return a.same_as(b);
    }
    friend bool operator!=(const migration_version& a, const migration_version& b) {
        return !a.same_as(b);
    }
    friend bool operator<(const migration_version& a, const migration_version& b) {
        return a.compare(b) < 0;
    }
    friend bool operator<=(const migration_version& a, const migration_version& b) {
        return a.compare(b) <= 0;
    }
    friend bool operator>(const migration_version& a, const migration_version& b) {
        return a.compare(b) > 0;
    }

  private:
    migration_version(std::string digits, version_rule rule, char next)
        : digits_(std::move(digits)), rule_(rule), next_(next) {}
    std::string_view significant() const noexcept;

    std::string digits_;
    version_rule rule_;
    char next_;
};

}  // namespace strata
