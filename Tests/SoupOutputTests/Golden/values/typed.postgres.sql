INSERT INTO "Hostile Values" (id, name, amount, price, note, name) VALUES (1, 'alice', 12.5, 10.00, 'ok', 'A');
INSERT INTO "Hostile Values" (id, name, amount, price, note, name) VALUES (22, 'bob', NULL, -3.5, 'two
lines', 'B');
INSERT INTO "Hostile Values" (id, name, amount, price, note, name) VALUES (333, NULL, -0.25, NULL, '', NULL);
INSERT INTO "Hostile Values" (id, name, amount, price, note, name) VALUES (4444, '李小龙', 1e+20, 0, 'a
b
c', 'D');
