"""Reading a page's words: one prose reader, the reading grade, and dates as pages print them."""
