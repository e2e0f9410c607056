#include "strata/version.hpp"

namespace strata {

std::optional<version> version::parse(std::string_view text) {
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
    return version(std::move(digits));
}

std::string_view version::significant() const noexcept {
    std::string_view s = digits_;
    auto first = s.find_first_not_of('0');
    return first == std::string_view::npos ? std::string_view() : s.substr(first);
}

int version::compare(const version& other) const noexcept {
    auto a = significant();
    auto b = other.significant();
    if (a.size() != b.size())
        return a.size() < b.size() ? -1 : 1;
    int c = a.compare(b);
    return c < 0 ? -1 : (c > 0 ? 1 : 0);
}

}  // namespace strata
