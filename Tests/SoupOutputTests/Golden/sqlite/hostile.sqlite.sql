INSERT INTO hostile (id, kind, txt, i8, f8, num, bin) VALUES (1, 'null', NULL, NULL, NULL, NULL, NULL);
INSERT INTO hostile (id, kind, txt, i8, f8, num, bin) VALUES (2, 'empty string', '', NULL, NULL, NULL, NULL);
INSERT INTO hostile (id, kind, txt, i8, f8, num, bin) VALUES (3, 'quotes', 'it''s "quoted"', NULL, NULL, NULL, NULL);
INSERT INTO hostile (id, kind, txt, i8, f8, num, bin) VALUES (4, 'comma', 'a,b', NULL, NULL, NULL, NULL);
INSERT INTO hostile (id, kind, txt, i8, f8, num, bin) VALUES (5, 'tab', 'a	b', NULL, NULL, NULL, NULL);
INSERT INTO hostile (id, kind, txt, i8, f8, num, bin) VALUES (6, 'newline', 'line 1
line 2', NULL, NULL, NULL, NULL);
INSERT INTO hostile (id, kind, txt, i8, f8, num, bin) VALUES (7, 'crlf', 'line 1
line 2', NULL, NULL, NULL, NULL);
INSERT INTO hostile (id, kind, txt, i8, f8, num, bin) VALUES (8, 'backslash', 'C:\dir\', NULL, NULL, NULL, NULL);
INSERT INTO hostile (id, kind, txt, i8, f8, num, bin) VALUES (9, 'copy end', '\.', NULL, NULL, NULL, NULL);
INSERT INTO hostile (id, kind, txt, i8, f8, num, bin) VALUES (10, 'pipe', 'a|b', NULL, NULL, NULL, NULL);
INSERT INTO hostile (id, kind, txt, i8, f8, num, bin) VALUES (11, 'controls', 'bell esc c1', NULL, NULL, NULL, NULL);
INSERT INTO hostile (id, kind, txt, i8, f8, num, bin) VALUES (12, 'emoji', '👍 ok', NULL, NULL, NULL, NULL);
INSERT INTO hostile (id, kind, txt, i8, f8, num, bin) VALUES (13, 'zwj emoji', '👨‍👩‍👧 family', NULL, NULL, NULL, NULL);
INSERT INTO hostile (id, kind, txt, i8, f8, num, bin) VALUES (14, 'cjk', '中文字', NULL, NULL, NULL, NULL);
INSERT INTO hostile (id, kind, txt, i8, f8, num, bin) VALUES (15, 'combining', 'été', NULL, NULL, NULL, NULL);
INSERT INTO hostile (id, kind, txt, i8, f8, num, bin) VALUES (16, 'right to left', 'שלום مرحبا', NULL, NULL, NULL, NULL);
INSERT INTO hostile (id, kind, txt, i8, f8, num, bin) VALUES (17, 'max bigint', NULL, 9223372036854775807, NULL, NULL, NULL);
INSERT INTO hostile (id, kind, txt, i8, f8, num, bin) VALUES (18, 'min bigint', NULL, -9223372036854775808, NULL, NULL, NULL);
INSERT INTO hostile (id, kind, txt, i8, f8, num, bin) VALUES (19, 'max real', NULL, NULL, 1e+308, NULL, NULL);
INSERT INTO hostile (id, kind, txt, i8, f8, num, bin) VALUES (20, 'negative zero', NULL, NULL, 0.0, NULL, NULL);
INSERT INTO hostile (id, kind, txt, i8, f8, num, bin) VALUES (21, 'small real', NULL, NULL, 1.5e-07, NULL, NULL);
INSERT INTO hostile (id, kind, txt, i8, f8, num, bin) VALUES (22, 'fraction', NULL, NULL, 0.1, NULL, NULL);
INSERT INTO hostile (id, kind, txt, i8, f8, num, bin) VALUES (23, 'nan', NULL, NULL, NULL, NULL, NULL);
INSERT INTO hostile (id, kind, txt, i8, f8, num, bin) VALUES (24, 'infinity', NULL, NULL, -9e999, NULL, NULL);
INSERT INTO hostile (id, kind, txt, i8, f8, num, bin) VALUES (25, 'numeric 40 digits', NULL, NULL, NULL, '1234567890123456789012345678901234567890', NULL);
INSERT INTO hostile (id, kind, txt, i8, f8, num, bin) VALUES (26, 'numeric fraction', NULL, NULL, NULL, '-0.000100', NULL);
INSERT INTO hostile (id, kind, txt, i8, f8, num, bin) VALUES (27, 'binary', NULL, NULL, NULL, NULL, X'00ff00410a');
INSERT INTO hostile (id, kind, txt, i8, f8, num, bin) VALUES (28, 'empty binary', NULL, NULL, NULL, NULL, X'');
