SELECT 'it''s; here', "a "" b; c", E'back\'slash; x', e'\\', [br;acket], `back;tick`;
SELECT X'00ff', x'AB', 1.5e+10, 0x1F, .5, 12abc;
SELECT 'unterminated; string
