"""Buying apples and oranges: price = {(apple × count) + (orange × count)} × tax.

The lecture notes' second graph (가격 = {(수량 × 단가) + (수량 × 단가)} × 부가세), as in *Deep
Learning from Scratch* ``ch05/buy_apple_orange.py``: three MulLayers and one AddLayer.
"""

from backprop_book import AddLayer, MulLayer

apple = 100
apple_num = 2
orange = 150
orange_num = 3
tax = 1.1

# layers
mul_apple_layer = MulLayer()
mul_orange_layer = MulLayer()
add_apple_orange_layer = AddLayer()
mul_tax_layer = MulLayer()

# forward
apple_price = mul_apple_layer.forward(apple, apple_num)
orange_price = mul_orange_layer.forward(orange, orange_num)
all_price = add_apple_orange_layer.forward(apple_price, orange_price)
price = mul_tax_layer.forward(all_price, tax)

# backward
dprice = 1
dall_price, dtax = mul_tax_layer.backward(dprice)
dapple_price, dorange_price = add_apple_orange_layer.backward(dall_price)
dorange, dorange_num = mul_orange_layer.backward(dorange_price)
dapple, dapple_num = mul_apple_layer.backward(dapple_price)

print(f"price: {price:g}")
print(f"dApple: {dapple:g}")
print(f"dApple_num: {dapple_num:g}")
print(f"dOrange: {dorange:g}")
print(f"dOrange_num: {dorange_num:g}")
print(f"dTax: {dtax:g}")
