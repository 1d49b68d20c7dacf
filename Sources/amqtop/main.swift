print("amqtop")
