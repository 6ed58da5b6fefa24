// A test may read a payload by key: not checked.
TEST(Planted, Reads) { EXPECT_EQ(e.data.value("ok", false), true); }
