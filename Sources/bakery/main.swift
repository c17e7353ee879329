print("bakery")
