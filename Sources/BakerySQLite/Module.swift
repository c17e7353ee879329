import BakeryCore
