// A migration version: the digits that prefix a migration's name.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace strata {

// Versions compare by the number their digits spell, so `2_x` sorts before
// `10_x` and `1` equals `001`. Diesel's dashed style (`2025-01-20-120000`) is
// the same version as `20250120120000`, as diesel itself stores it. No integer
// conversion is involved, so a version never overflows.
class version {
  public:
    // Accepts digits optionally grouped by single dashes; nullopt otherwise.
    static std::optional<version> parse(std::string_view text);

    // The digits as written, dashes removed: what the tracking table stores.
    const std::string& str() const noexcept { return digits_; }

    int compare(const version& other) const noexcept;

    friend bool operator==(const version& a, const version& b) { return a.compare(b) == 0; }
    friend bool operator!=(const version& a, const version& b) { return a.compare(b) != 0; }
    friend bool operator<(const version& a, const version& b) { return a.compare(b) < 0; }
    friend bool operator<=(const version& a, const version& b) { return a.compare(b) <= 0; }
    friend bool operator>(const version& a, const version& b) { return a.compare(b) > 0; }

  private:
    explicit version(std::string digits) : digits_(std::move(digits)) {}
    std::string_view significant() const noexcept;

    std::string digits_;
};

}  // namespace strata
