// Lexical helpers over SQL text: comments, blank scripts, line numbers.
#pragma once

#include <cstddef>
#include <string_view>

namespace strata {

// Offset of the first character at or after `from` that is neither
// whitespace nor part of a `--` or `/* */` comment (text.size() if none).
std::size_t skip_blank_and_comments(std::string_view text, std::size_t from = 0);

// True when `sql` holds at least one statement: something other than
// whitespace, comments and semicolons.
bool has_statement(std::string_view sql);

// 0-based count of line breaks in text[0, offset).
int lines_before(std::string_view text, std::size_t offset);

}  // namespace strata
