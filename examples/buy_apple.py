"""Buying apples: price = (apple × count) × tax, forward and backward through two MulLayers.

The lecture notes' first graph (가격 = (사과 × 개수) × 부가세), as in *Deep Learning from Scratch*
``ch05/buy_apple.py``. Floats are printed with ``:g`` (6 significant digits); the exact
floating-point values are printed last.
"""

from backprop_book import MulLayer

apple = 100  # price of one apple
apple_num = 2  # count
tax = 1.1  # tax (부가세)

mul_apple_layer = MulLayer()
mul_tax_layer = MulLayer()

# forward
apple_price = mul_apple_layer.forward(apple, apple_num)
price = mul_tax_layer.forward(apple_price, tax)

# backward
dprice = 1
dapple_price, dtax = mul_tax_layer.backward(dprice)
dapple, dapple_num = mul_apple_layer.backward(dapple_price)

print(f"price: {price:g}")
print(f"dApple: {dapple:g}")
print(f"dApple_num: {dapple_num:g}")
print(f"dTax: {dtax:g}")
print("exact floats:", repr(price), repr(dapple), repr(dapple_num), repr(dtax))
