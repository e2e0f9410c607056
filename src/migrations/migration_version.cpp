#include "strata/migration_version.hpp"

#include <algorithm>

namespace strata {

const char* to_string(version_rule rule) noexcept {
    switch (rule) {
        case version_rule::text:
            return "text";
        case version_rule::number:
            return "number";
        case version_rule::file_name:
            return "file name";
    }
    return "?";
}

std::optional<migration_version> migration_version::parse(std::string_view text, version_rule rule,
                                                          char next) {
    if (rule == version_rule::text) {
        // diesel's version is any text: its folder name up to the first '_'
        // with every '-' removed (2.3's `-0000` suffix is hexadecimal, and a
        // folder without '_' is all version). Blanks and '_' cannot be part
        // of it.
        std::string kept;
        for (char c : text) {
            if (c == '-')
                continue;
            if (static_cast<unsigned char>(c) <= ' ' || c == '_' || c == 0x7f)
                return std::nullopt;
            kept.push_back(c);
        }
        if (kept.empty())
            return std::nullopt;
        return migration_version(std::move(kept), rule, next);
    }
    std::string digits;
    bool previous_was_digit = false;
    for (char c : text) {
        if (c >= '0' && c <= '9') {
            digits.push_back(c);
            previous_was_digit = true;
        } else if (c == '-' && previous_was_digit) {
            previous_was_digit = false;
        } else {
            return std::nullopt;
        }
    }
    if (digits.empty() || !previous_was_digit)
        return std::nullopt;
    return migration_version(std::move(digits), rule, next);
}

std::string_view migration_version::significant() const noexcept {
    std::string_view s = digits_;
    auto first = s.find_first_not_of('0');
    return first == std::string_view::npos ? std::string_view() : s.substr(first);
}

namespace {

int sign(int c) {
    return c < 0 ? -1 : (c > 0 ? 1 : 0);
}

}  // namespace

int migration_version::compare(const migration_version& other) const noexcept {
    // Versions of two rules belong to two sets (a directory that mixes
    // layouts): ordered by rule, so that any versions sort consistently.
    if (rule_ != other.rule_)
        return rule_ < other.rule_ ? -1 : 1;
    switch (rule_) {
        case version_rule::text:
            return sign(digits_.compare(other.digits_));
        case version_rule::file_name: {
            // As the file names compare: where one version's digits are a
            // prefix of the other's, the character after the shorter one
            // ('_', '.', '-') meets a digit of the longer one.
            const std::size_t common = std::min(digits_.size(), other.digits_.size());
            if (const int c = digits_.compare(0, common, other.digits_, 0, common); c != 0)
                return sign(c);
            if (digits_.size() == other.digits_.size())
                return sign(static_cast<unsigned char>(next_) -
                            static_cast<unsigned char>(other.next_));
            if (digits_.size() < other.digits_.size())
                return sign(static_cast<unsigned char>(next_) -
                            static_cast<unsigned char>(other.digits_[common]));
            return sign(static_cast<unsigned char>(digits_[common]) -
                        static_cast<unsigned char>(other.next_));
        }
        case version_rule::number:
            break;
    }
    auto a = significant();
    auto b = other.significant();
    if (a.size() != b.size())
        return a.size() < b.size() ? -1 : 1;
    return sign(a.compare(b));
}

bool migration_version::same_as(const migration_version& other) const noexcept {
    if (rule_ != other.rule_)
        return false;
    if (rule_ == version_rule::number)
        return significant() == other.significant();
    return digits_ == other.digits_;
}

}  // namespace strata
