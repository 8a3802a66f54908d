# Allocate and touch memory until something stops us.
hog = []
while True:
    hog.append(bytearray(64 * 2**20))
